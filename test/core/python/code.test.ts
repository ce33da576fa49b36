import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toPython } from '../../../src/core/python';
import { runCli } from '../../support/run-cli';

const main = (code: string) => code.slice(code.indexOf('async def main():'), code.indexOf('# ---- The music machine'));

describe('the exported program reads like hand-written asyncio', () => {
  it('writes each command as the construct it teaches, with the names of the script', () => {
    const { code, warnings } = toPython(
      [
        '# A story, kept at the top.',
        '',
        'def countdown-a beep 72 0.3; wait 0.7',
        'loop beep 60 0.25; wait 0.25 &   # in the background',
        'settle countdown-a | chord 1 48',
        'race countdown-a | wait 2',
        'timeout 1.5 chord 4 48 55 60',
        'block 0.1',
        'offload 2',
        'cancel t1',
        'repeat 2 beep 64 0.1',
      ].join('\n'),
      'lesson.txt',
    );
    expect(warnings).toEqual([]);
    expect(code.split('\n').slice(0, 12)).toContain('# A story, kept at the top.');
    expect(code).toContain('async def countdown_a():\n    await beep(72, 0.3)\n    await asyncio.sleep(0.7)\n');
    const body = main(code);
    expect(body).toContain('    async def t1_body():  # in the background\n        while True:\n');
    expect(body).toContain('    t1 = asyncio.create_task(t1_body())\n');
    expect(body).toContain('results = await asyncio.gather(countdown_a(), chord(1, 48), return_exceptions=True)');
    expect(body).toContain('done, pending = await asyncio.wait(racers, return_when=asyncio.FIRST_COMPLETED)');
    expect(body).toContain('async with asyncio.timeout(1.5):\n            await chord(4, 48, 55, 60)');
    expect(body).toContain('time.sleep(0.1)');
    expect(body).toContain('await loop.run_in_executor(None, time.sleep, 2)');
    // cancel() of a task that has ended returns False; corotone's cancel fails its line then, and so does the program
    expect(body).toMatch(/ if not t1\.cancel\(\):\n +raise RuntimeError\("no running task \\"t1\\""\)\n/);
    expect(body).toContain('for _ in range(2):\n        await beep(64, 0.1)');
    expect(body).not.toMatch(/_t\d+/);
  });

  it('writes what has no asyncio form as a marked comment, and says so with its place', () => {
    const { code, warnings } = toPython('beep 60\nhelp\ncancel 17\nchrod 1 60\n', 'odd.txt');
    expect(main(code)).toContain('# NOT EXPORTED (corotone: help)');
    expect(main(code)).toContain('# NOT EXPORTED (corotone: cancel 17)');
    expect(main(code)).toContain('# corotone cannot read this line, so it does not run: chrod 1 60');
    expect(warnings.map((w) => `${w.line}:${w.col}`)).toEqual(['2:1', '3:1', '4:1']);
  });
});

describe('musical time, chance, cues and live loops', () => {
  it('writes beats by the tempo, parameters as parameters, a redefinition where it runs, and Sonic Pi\'s cue, sync and live as asyncio', () => {
    const { code, warnings } = toPython(
      [
        'bpm 120',
        'def arp ROOT: beep ROOT 0.5; beep ROOT+7 250ms',
        'arp C5',
        'seed 7',
        'beep choose(C3,G3) 1',
        'sync go; beep 60 &',
        'cue go',
        'live drums beep 48 0.5',
        'def arp ROOT: beep ROOT 1',
        'amp 0.5',
      ].join('\n'),
      'music.txt',
    );
    expect(code).toContain('async def arp(ROOT):\n    await beep(ROOT, beats(0.5))\n    await beep(ROOT + 7, 0.25)\n');
    expect(code).toContain('def beats(count):\n    return count * 60 / tempo.get()["bpm"]\n');
    expect(code).toContain('cue_go = asyncio.Event()');
    const body = main(code);
    expect(body).toContain('    global arp\n    use_bpm(120)\n    await arp(60)\n    chance.seed(7)\n    await beep(choose(36, 43), beats(1))\n');
    expect(body).toContain('        await cue_go.wait()\n');
    expect(body).toContain('    cue_go.set()  # cue go: every sync waiting now goes on\n    cue_go.clear()');
    // a live loop cues its name, and starts at the tempo where it is spawned (own_tempo)
    expect(body).toContain('    await live("drums", lambda: beep(48, beats(0.5)), cue_drums)\n');
    expect(code).toContain('live_tasks[name] = asyncio.create_task(live_loop(name, cue), context=own_tempo())');
    expect(body).toContain('    arp = arp_2  # def arp again');
    expect(body).toContain('# NOT EXPORTED (corotone: amp 0.5): amp shapes corotone\'s sound only');
    expect(warnings.map((w) => `${w.line}:${w.col}`)).toEqual(['10:1']);
  });

  it('says where a choose draws chance in its options, which Python draws eagerly', () => {
    const { warnings } = toPython('beep choose(60,rand(61,63)) 0.5\nbeep choose(60,62) 0.5\n', 'nested.txt');
    expect(warnings.map((w) => `${w.line}:${w.col} ${w.message.slice(0, 12)}`)).toEqual(['1:6 not faithful']);
  });

  it('gives a spawned task a tempo of its own, in a context of its own, only when the script sets one', () => {
    expect(main(toPython('bpm 120\nbeep 60 1 &\n', 'fast.txt').code)).toContain('t1 = asyncio.create_task(beep(60, beats(1)), context=own_tempo())');
    const plain = toPython('beep 60 1 &\n', 'plain.txt').code;
    expect(main(plain)).toContain('t1 = asyncio.create_task(beep(60, 1))');
    expect(plain).not.toContain('contextvars');
  });

  it('cancels a live loop by its name', () => {
    const { code, warnings } = toPython('live drums beep 48 1\nwait 2\ncancel drums\n', 'cancel.txt');
    expect(main(code)).toContain('live_tasks["drums"].cancel()');
    expect(warnings).toEqual([]);
  });

  it('keeps the notes of a script with effects and marks its fx lines with a comment', () => {
    const { code, warnings } = toPython('fx lpf 800 res=4\nbeep 60 0.5 fx=reverb:0.6\nfx off\nbeep 62 0.5\n', 'fx.txt');
    const body = main(code);
    expect(body).toContain("# NOT EXPORTED (corotone: fx lpf 800 res=4): fx shapes corotone's sound only: audio effects have no form");
    expect(body).toContain('# NOT EXPORTED (corotone: fx off)');
    expect(body).toContain('await beep(60, 0.5)');
    expect(body).toContain('await beep(62, 0.5)');
    expect(warnings.map((w) => w.line)).toEqual([1, 2, 3]);
  });

  it('writes a script without bpm in plain seconds', () => {
    const { code } = toPython('def arp ROOT: beep ROOT 0.5\narp 60\nwait 250ms\n', 'plain.txt');
    expect(code).toContain('await beep(ROOT, 0.5)');
    expect(main(code)).toContain('await asyncio.sleep(0.25)');
    expect(code).not.toContain('beats(');
  });
});

describe('corotone SCRIPT --to-python OUT.py', () => {
  it('writes the program and names what it could not carry over on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corotone-to-python-'));
    try {
      const out = join(dir, 'countdown.py');
      const result = await runCli(['resources/examples/countdown.txt', '--to-python', out]);
      expect(result.code).toBe(0);
      expect(result.stdout.length).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain('async def countdown_a():');
      const usage = await runCli(['resources/examples/countdown.txt', '--to-python', out, '--wav', 'x.wav']);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('--to-python only writes the program');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docs/python-export.md', () => {
  const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const doc = readFileSync('docs/python-export.md', 'utf8');
  const shown = [...doc.matchAll(/<pre lang="python" data-export="([^"]+)">\n([\s\S]*?)\n<\/pre>/g)];

  it.each(shown.map((m) => [m[1], unescape(m[2])]))('shows what --to-python writes for %s', (file, python) => {
    const { code } = toPython(readFileSync(join('resources/examples', file), 'utf8'), file);
    expect(code).toContain(`\n\n\n${python}\n\n\n# ---- The music machine`);
  });

  it('shows two lessons', () => {
    expect(shown.length).toBe(2);
  });
});
