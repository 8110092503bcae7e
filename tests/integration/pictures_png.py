#!/usr/bin/env python3
"""Read a PNG with the standard library only (the pictures tests need no
imaging package): decode 8-bit RGB, RGBA, grey and palette images, with
every scanline filter.

  pictures_png.py colors FILE            distinct colours, and the share
                                         of pixels that are not the most
                                         common colour (the background)
  pictures_png.py crop FILE OUT Y0 Y1    rows Y0..Y1 into a new PNG (to
                                         look at part of a tall screenshot)
"""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, plte = 8, [], None
    width = height = depth = ctype = interlace = None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            plte = [body[i:i + 3] for i in range(0, len(body), 3)]
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if depth != 8 or interlace:
        raise ValueError("only 8-bit, non-interlaced PNGs are read here")
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, prev, p = [], bytearray(stride), 0
    for _ in range(height):
        f = raw[p]
        line = bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        rows.append(bytes(line))
        prev = line
    pixels = []
    for line in rows:
        if ctype == 3:
            pixels.append([plte[v] for v in line])
        else:
            pixels.append([line[i:i + channels][:3] if channels >= 3 else bytes([line[i]] * 3)
                           for i in range(0, stride, channels)])
    return width, height, pixels


def write_png(path, pixels):
    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\x00" + b"".join(bytes(px) for px in row) for row in pixels)

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw)))
        f.write(chunk(b"IEND", b""))


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "colors":
        _, _, px = read_png(sys.argv[2])
        counts = {}
        for row in px:
            for c in row:
                counts[c] = counts.get(c, 0) + 1
        total = sum(counts.values())
        background = max(counts.values())
        print(len(counts), "%.4f" % (1 - background / total))
    elif len(sys.argv) == 6 and sys.argv[1] == "crop":
        _, _, px = read_png(sys.argv[2])
        write_png(sys.argv[3], px[int(sys.argv[4]):int(sys.argv[5])])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
