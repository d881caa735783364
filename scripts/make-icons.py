# Draws the toolbar icons (a lens over archive lines on a blue tile) as PNGs,
# supersampled for smooth edges. Run: python3 scripts/make-icons.py
import math, struct, zlib

def png(size, pixel):
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            row += bytes(pixel(x, y))
        rows.append(bytes(row))
    raw = b''.join(rows)
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')

def shade(u, v):
    # u, v in [0, 1]. Returns RGBA floats.
    r = 0.18
    dx = max(abs(u - 0.5) - (0.5 - r), 0); dy = max(abs(v - 0.5) - (0.5 - r), 0)
    if math.hypot(dx, dy) > r: return (0, 0, 0, 0)
    t = (u + v) / 2
    base = (0.23 * (1 - t) + 0.36 * t, 0.43 * (1 - t) + 0.58 * t, 0.70 * (1 - t) + 0.86 * t)
    white = (1, 1, 1)
    # archive lines
    for ly in (0.30, 0.44, 0.58):
        if 0.20 < u < 0.62 and abs(v - ly) < 0.035: return (*white, 0.75)
    # lens ring and handle
    cx, cy, rr = 0.56, 0.52, 0.19
    d = math.hypot(u - cx, v - cy)
    if abs(d - rr) < 0.055: return (*white, 1)
    hx, hy = u - (cx + rr * 0.7), v - (cy + rr * 0.7)
    along = (hx + hy) / math.sqrt(2); across = (hx - hy) / math.sqrt(2)
    if 0 < along < 0.2 and abs(across) < 0.055: return (*white, 1)
    return (*base, 1)

def icon(size, ss=4):
    def pixel(x, y):
        acc = [0.0] * 4
        for i in range(ss):
            for j in range(ss):
                r, g, b, a = shade((x + (i + 0.5) / ss) / size, (y + (j + 0.5) / ss) / size)
                acc[0] += r * a; acc[1] += g * a; acc[2] += b * a; acc[3] += a
        n = ss * ss; a = acc[3] / n
        if a == 0: return (0, 0, 0, 0)
        return tuple(round(min(1, c / acc[3]) * 255) for c in acc[:3]) + (round(a * 255),)
    return png(size, pixel)

for size in (16, 32, 48, 128):
    open(f'public/icons/icon-{size}.png', 'wb').write(icon(size))
