import type { Invocation } from '../language/command';
import type { PythonForm } from '../python/form';
import { pyString } from '../python/quote';
import { DRUM_SECONDS, drumLengthNs, type DrumName, type VoiceOptions } from '../stream/voice';

/**
 * corotone's drum machine (src/core/synth/drum-kit.ts) in Python, made at the
 * demo's 8 kHz for its stream: the same recipes (sine sweeps, filtered seeded
 * noise, square clusters), written once above main() in a program that uses
 * `drum`. Not bit for bit: the compared events carry no sound.
 */
const PRELUDE = String.raw`_drum_seconds = {${Object.entries(DRUM_SECONDS).map(([name, s]) => `"${name}": ${s}`).join(', ')}}
_drum_hits = {}  # (name, rate): its samples at the stream's 8 kHz


def drum(name, length_ns, rate=1):
    """drum NAME: a hit of a drum machine, a voice of this task for its own length (not a note)."""
    notes.hit(length_ns, None if EVENTS else _drum_hit(name, rate))


def _drum_hit(name, rate=1, sample_rate=8000):
    """One hit, peak 1, fading to silence; rate 2 is an octave up in half the time."""
    if (name, rate) not in _drum_hits:
        n = max(1, round(_drum_seconds[name] * sample_rate))
        x = [0.0] * n
        _drum_kit[name](x, sample_rate)
        fade = max(1, round(n * 0.15))
        for i in range(n - fade, n):
            x[i] *= (n - 1 - i) / fade
        peak = max(abs(v) for v in x) or 1
        x = [v / peak for v in x]
        if rate != 1:
            x = [x[int(i * rate)] + (x[min(int(i * rate) + 1, n - 1)] - x[int(i * rate)]) * (i * rate % 1) for i in range(int((n - 1) / rate) + 1)]
        _drum_hits[(name, rate)] = x
    return _drum_hits[(name, rate)]


def _drum_noise(n):
    """Seeded white noise -1..1 (mulberry32, seed 1), so every hit is the same."""
    a, out = 1, []
    for _ in range(n):
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = ((a ^ (a >> 15)) * (a | 1)) & 0xFFFFFFFF
        t ^= (t + ((t ^ (t >> 7)) * (t | 61))) & 0xFFFFFFFF
        out.append(((t ^ (t >> 14)) & 0xFFFFFFFF) / 2147483648 - 1)
    return out


def _biquad(x, kind, f0, q, rate):
    """An RBJ-cookbook filter over x in place."""
    w = 2 * math.pi * min(f0, 0.45 * rate) / rate
    cos, alpha = math.cos(w), math.sin(w) / (2 * q)
    b = {"lowpass": ((1 - cos) / 2, 1 - cos, (1 - cos) / 2), "highpass": ((1 + cos) / 2, -(1 + cos), (1 + cos) / 2), "bandpass": (alpha, 0, -alpha)}[kind]
    a0, a1, a2 = 1 + alpha, -2 * cos, 1 - alpha
    x1 = x2 = y1 = y2 = 0.0
    for i, v in enumerate(x):
        y = (b[0] * v + b[1] * x1 + b[2] * x2 - a1 * y1 - a2 * y2) / a0
        x2, x1, y2, y1 = x1, v, y1, y
        x[i] = y
    return x


def _sweep(out, rate, freq, amp):
    """Add a sine whose frequency follows freq(t), times amp(t)."""
    phase = 0.0
    for i in range(len(out)):
        out[i] += math.sin(2 * math.pi * phase) * amp(i / rate)
        phase = (phase + freq(i / rate) / rate) % 1


def _squares(n, rate, freqs):
    return [sum(1 if (i * f / rate) % 1 < 0.5 else -1 for f in freqs) / len(freqs) for i in range(n)]


def _decay(tau):
    return lambda t: math.exp(-t / tau)


def _kick(out, rate):
    _sweep(out, rate, lambda t: 50 + 110 * math.exp(-t / 0.035), _decay(0.17))


def _tom(hz, tau):
    return lambda out, rate: _sweep(out, rate, lambda t: hz * (1 + 0.35 * math.exp(-t / 0.04)), _decay(tau))


def _snare(out, rate):
    _sweep(out, rate, lambda t: 185, _decay(0.05))
    _sweep(out, rate, lambda t: 330, lambda t: 0.5 * math.exp(-t / 0.04))
    wires = _biquad(_drum_noise(len(out)), "highpass", 1500, 0.7, rate)
    for i in range(len(out)):
        out[i] += 1.2 * wires[i] * math.exp(-i / (0.09 * rate))


def _hat(tau):
    def play(out, rate):
        metal = [m + 0.6 * h for m, h in zip(_squares(len(out), rate, (205.3, 304.4, 369.6, 522.7, 540, 800)), _drum_noise(len(out)))]
        _biquad(_biquad(_biquad(metal, "highpass", 7000, 0.7, rate), "highpass", 7000, 0.7, rate), "bandpass", 10000, 0.6, rate)
        for i in range(len(out)):
            out[i] += metal[i] * math.exp(-i / (tau * rate))
    return play


def _clap(out, rate):
    hiss = _biquad(_drum_noise(len(out)), "bandpass", 1200, 1.5, rate)
    for i in range(len(out)):
        t = i / rate
        env = max((math.exp(-(t - at) / 0.004) for at in (0, 0.01, 0.02) if at <= t < 0.03), default=0)
        out[i] += hiss[i] * (math.exp(-(t - 0.03) / 0.09) if t >= 0.03 else env)


def _rim(out, rate):
    _sweep(out, rate, lambda t: 1700, lambda t: 0.6 * math.exp(-t / 0.01))
    _sweep(out, rate, lambda t: 460, _decay(0.012))
    click = _biquad(_drum_noise(len(out)), "highpass", 2000, 0.7, rate)
    for i in range(len(out)):
        out[i] += 0.5 * click[i] * math.exp(-i / (0.003 * rate))


def _cowbell(out, rate):
    bell = _biquad(_squares(len(out), rate, (545, 815)), "bandpass", 900, 1.2, rate)
    for i in range(len(out)):
        out[i] += bell[i] * (0.6 * math.exp(-i / rate / 0.015) + 0.4 * math.exp(-i / rate / 0.12))


_drum_kit = {"bd": _kick, "sd": _snare, "hh": _hat(0.025), "oh": _hat(0.16), "cp": _clap,
            "lt": _tom(90, 0.2), "mt": _tom(130, 0.16), "ht": _tom(180, 0.13), "rim": _rim, "cb": _cowbell}`;

export interface Hit {
  drum: DrumName;
  options: VoiceOptions;
}

/**
 * `drum("bd", LENGTH_NS)`: the program plays the hit through the demo's stream
 * and counts it in its --events as corotone does (a voice of the task, not a
 * note). amp= and pan= shape corotone's sound only (a warning says so).
 */
export const drumPython: PythonForm<Hit, Invocation> = {
  prelude: PRELUDE,
  write({ drum, options }, py) {
    py.options(Object.fromEntries(Object.entries(options).filter(([key, value]) => key !== 'rate' && value !== undefined)));
    const rate = options.rate === undefined || options.rate === 1 ? '' : `, rate=${options.rate}`;
    py.line(`drum(${pyString(drum)}, ${drumLengthNs(drum, options.rate)}${rate})`);
  },
};
