// SPDX-License-Identifier: MIT
/*
 * cap_msg: sendmsg/recvmsg and sendmmsg/recvmmsg over UDP on loopback, for
 * `flightrec record` tests of message payloads.
 *
 * A sends "hello " + "world" (two iovecs) to B with sendmsg; B receives it
 * with recvmsg into two iovecs.  Then A sends "one", "two!", "three" with
 * one sendmmsg; B receives them with one recvmmsg (room for 4).  Prints
 * "ports A B", "recvmsg N TEXT", "recvmmsg N" and each message received.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static int udp(struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)a, sizeof(*a)) ||
	    getsockname(fd, (struct sockaddr *)a, &len))
		return -1;
	return fd;
}

int main(void)
{
	static const char *const words[] = {"one", "two!", "three"};
	struct sockaddr_in aa, ba, from[4];
	struct mmsghdr out[3], in[4];
	struct iovec iv[2], oiv[3], iiv[4];
	struct msghdr mh;
	char b1[8], b2[64], bufs[4][32];
	int a, b, i, n;

	a = udp(&aa);
	b = udp(&ba);
	if (a < 0 || b < 0)
		return 1;
	printf("ports %d %d\n", ntohs(aa.sin_port), ntohs(ba.sin_port));

	memset(&mh, 0, sizeof(mh));
	iv[0].iov_base = "hello ";
	iv[0].iov_len = 6;
	iv[1].iov_base = "world";
	iv[1].iov_len = 5;
	mh.msg_name = &ba;
	mh.msg_namelen = sizeof(ba);
	mh.msg_iov = iv;
	mh.msg_iovlen = 2;
	if (sendmsg(a, &mh, 0) != 11)
		return 1;
	memset(&mh, 0, sizeof(mh));
	iv[0].iov_base = b1;
	iv[0].iov_len = sizeof(b1);
	iv[1].iov_base = b2;
	iv[1].iov_len = sizeof(b2);
	mh.msg_name = &from[0];
	mh.msg_namelen = sizeof(from[0]);
	mh.msg_iov = iv;
	mh.msg_iovlen = 2;
	n = (int)recvmsg(b, &mh, 0);
	if (n != 11)
		return 1;
	printf("recvmsg %d %.*s%.*s\n", n, 8, b1, n - 8, b2);

	memset(out, 0, sizeof(out));
	for (i = 0; i < 3; i++) {
		oiv[i].iov_base = (void *)words[i];
		oiv[i].iov_len = strlen(words[i]);
		out[i].msg_hdr.msg_name = &ba;
		out[i].msg_hdr.msg_namelen = sizeof(ba);
		out[i].msg_hdr.msg_iov = &oiv[i];
		out[i].msg_hdr.msg_iovlen = 1;
	}
	if (sendmmsg(a, out, 3, 0) != 3)
		return 1;
	memset(in, 0, sizeof(in));
	for (i = 0; i < 4; i++) {
		iiv[i].iov_base = bufs[i];
		iiv[i].iov_len = sizeof(bufs[i]);
		in[i].msg_hdr.msg_name = &from[i];
		in[i].msg_hdr.msg_namelen = sizeof(from[i]);
		in[i].msg_hdr.msg_iov = &iiv[i];
		in[i].msg_hdr.msg_iovlen = 1;
	}
	n = recvmmsg(b, in, 4, MSG_WAITFORONE, NULL);
	printf("recvmmsg %d\n", n);
	for (i = 0; i < n; i++)
		printf("msg %d %.*s\n", i, (int)in[i].msg_len, bufs[i]);
	return n == 3 ? 0 : 1;
}
