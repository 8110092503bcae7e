// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the event decoders on arbitrary bytes: chunk records
 * (fr_codec_decode / fr_codec_peek) and ring-buffer records
 * (fr_event_from_record).  Decoded payloads must lie inside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/event.h"

static void check_payloads(const struct fr_event *ev, const uint8_t *buf, size_t len)
{
	uint32_t i;

	if (ev->n_payloads > FR_MAX_PAYLOADS)
		abort();
	for (i = 0; i < ev->n_payloads; i++) {
		const struct fr_payload *p = &ev->payloads[i];

		if (p->len > p->full_len)
			abort();
		if (p->len && (p->data < buf || p->data + p->len > buf + len))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fr_event ev, peek;
	uint64_t prev = 0;
	size_t pos = 0;
	uint8_t *copy = malloc(size ? size : 1);

	/* copy: ASan then flags reads one byte past the input */
	memcpy(copy, data, size);
	while (pos < size) {
		size_t before = pos, rec_end = 0;
		int rp = fr_codec_peek(copy, size, pos, prev, &peek, &rec_end);
		int rc = fr_codec_decode(copy, size, &pos, prev, &ev);

		if (rc < 0) {
			if (pos != before)
				abort(); /* a failed decode must not move */
			break;
		}
		if (rp < 0 || rec_end != pos || pos <= before || ev.ts_ns < prev)
			abort(); /* peek and decode must agree */
		if (rc == 1)
			check_payloads(&ev, copy, size);
		prev = ev.ts_ns;
	}
	if (fr_event_from_record(&ev, copy, size) > 0)
		check_payloads(&ev, copy, size);
	free(copy);
	return 0;
}
