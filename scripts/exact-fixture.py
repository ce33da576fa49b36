#!/usr/bin/env python3
"""Write the demo's own samples for commands.txt, computed with numpy, as the
fixture test/core/synth/fixtures/commands-exact.u8 (unsigned 8-bit, 8000 Hz).

The formula is the demo's, in its order of operations (see SPEC.md):
c = 2*pi/8000 first; f = 16.35 * pow(pow(2, 1/12), n); each sample is
trunc(sum_i(sin((k*c)*f_i) * 127 * (1/N)) * 0.8 + 127), the sum starting
from 0 over the notes in the order they were added. Silence is 127.
The schedule is SPEC.md's: add 60 at 0, ten chords, remove 60 and quit at
10.05 s. Usage: python3 scripts/exact-fixture.py [OUT]
"""
import math
import os
import sys

import numpy as np

RATE = 8000
A, B, C = [72, 75, 79], [70, 74, 77], [68, 72, 75]
CHORD_STARTS_MS = [2000, 3000, 3400, 3750, 4850, 5250, 5600, 6700, 7100, 7450]
CHORD_MS = [500, 400, 350, 600, 400, 350, 600, 400, 350, 600]
CHORD_NOTES = [A, A, B, A, A, B, A, A, B, C]
END_MS = 10050


def changes():
    """(sample, notes in the order added) at each change; times are whole ms, so samples are exact."""
    marks = {0: [60]}
    for start, length, notes in zip(CHORD_STARTS_MS, CHORD_MS, CHORD_NOTES):
        marks[start] = [60] + notes
        marks.setdefault(start + length, [60])
    marks[END_MS] = []
    return [(ms * RATE // 1000, marks[ms]) for ms in sorted(marks)]


def render():
    c = 2 * math.pi / RATE
    out = np.full(END_MS * RATE // 1000, 127, dtype=np.uint8)
    marks = changes()
    for (start, notes), (end, _) in zip(marks, marks[1:]):
        if not notes:
            continue
        k = np.arange(start, end, dtype=np.float64)
        inverse = 1 / len(notes)
        total = np.zeros_like(k)
        for n in notes:
            f = 16.35 * pow(pow(2, 1 / 12), n)
            total = total + np.sin((k * c) * f) * 127 * inverse
        out[start:end] = np.trunc(total * 0.8 + 127).astype(np.uint8)
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'test', 'core', 'synth', 'fixtures', 'commands-exact.u8')
    data = render().tobytes()
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, path)
    print(f'{path}: {len(data)} samples')


if __name__ == '__main__':
    main()
