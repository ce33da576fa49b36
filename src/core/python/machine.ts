/**
 * The part of an exported program that is not the lesson: the set of sounding
 * notes, the demo's 8 kHz stream (a thread, so a blocked event loop does not
 * stop the sound, as in corotone), and for --events an asyncio event loop on a
 * virtual clock that prints corotone's note and task events. Python text,
 * appended as it is to every export.
 */
export const MACHINE = String.raw`# ---- The music machine: notes, sound, and a clock for --events -------------
# Nothing above this line needs it to be understood. It plays the notes through
# the demo's stream (8000 Hz, unsigned 8-bit, mono, on standard output) and, with
# --events, runs the program on a virtual clock and prints corotone's events.

import heapq
import json
import math
import os
import selectors
import threading

EVENTS = "--events" in sys.argv[1:]
UNTIL_NS = round(float(sys.argv[sys.argv.index("--until") + 1]) * 1e9) if "--until" in sys.argv[1:-1] else None


class Notes:
    """The sounding notes, as voices: each note is held by the task that started it.

    A task that ends normally hands its notes to the task it ran in; a task that
    is cancelled or fails lets go of them (as corotone's voices do).
    """

    def __init__(self):
        self.held = []  # [id, owner task, note, started by add], oldest first
        self.next_id = 1
        self.sounds = []  # live: (time.monotonic(), samples at 8 kHz) of hits to play

    def __iter__(self):
        return iter(sorted({voice[2] for voice in self.held if voice[2] is not None}))

    def ids(self):
        return [voice[0] for voice in self.held]

    def start(self, note, owner, by_add=False):
        voice = [self.next_id, owner, note, by_add]
        self.held.append(voice)
        self.next_id += 1
        machine.changed()
        return voice

    def hit(self, length_ns, sound=None):
        """A one-shot sound (a drum hit): a voice of this task for length_ns, not a note.

        Live, the stream plays the sound (samples at 8 kHz, peak 1) from now on; with --events
        it is counted as corotone counts it (a change of voices, gone by itself once it has sounded out).
        """
        if machine.loop is None:
            if sound is not None:
                self.sounds.append((time.monotonic(), sound))
            return
        self.held.append([self.next_id, asyncio.current_task(), None, False, machine.loop.now_ns + length_ns])
        self.next_id += 1
        machine.changed()

    def drop_ended_hits(self, now_ns):
        gone = {v[0] for v in self.held if v[2] is None and v[4] <= now_ns}
        if gone:
            self.held = [v for v in self.held if v[0] not in gone]
        return gone

    def end_where(self, ends):
        kept = [v for v in self.held if not ends(v)]
        if len(kept) != len(self.held):
            self.held = kept
            machine.changed()

    def add(self, note):
        """add N: held by this task, unless this task or one it runs in holds N already."""
        task = asyncio.current_task()
        chain = set()
        while task is not None:
            chain.add(task)
            task = machine.parents.get(task)
        if not any(v[2] == note and v[1] in chain for v in self.held):
            self.start(note, asyncio.current_task(), by_add=True)

    def discard(self, note):
        """remove N: ends the N that add started."""
        self.end_where(lambda v: v[2] == note and v[3])

    def hold(self, keys):
        """chord and beep: voices of this task; a key the task holds already keeps its voice.

        main() is the source and each of its lines: a line's chord is a task of its own
        in corotone, so there it never shares a voice that add started.
        """
        owner = asyncio.current_task()
        voices = []
        for key in dict.fromkeys(keys):
            held = None if owner is machine.main else next((v for v in self.held if v[1] is owner and v[2] == key), None)
            voices.append(held or self.start(key, owner))
        return voices

    def let_go(self, voices):
        self.end_where(lambda v: any(v is voice for voice in voices))

    def mark(self):
        return self.next_id

    def release_since(self, mark):
        """A line that failed lets go of the notes it started."""
        owner = asyncio.current_task()
        self.end_where(lambda v: v[1] is owner and v[0] >= mark)

    def task_ended(self, task, normally):
        parent = machine.parents.get(task)
        if normally and parent is not None and not parent.done():
            for v in self.held:
                if v[1] is task:
                    v[1] = parent
        else:
            if normally:
                for v in self.held:
                    if v[1] is task and v[2] is None:
                        v[1] = None  # a script's last hit sounds out
            self.end_where(lambda v: v[1] is task)

    def clear(self):
        self.end_where(lambda v: True)

    def end(self):
        """The stream stops: every note, and every hit that a task still holds."""
        self.end_where(lambda v: v[2] is not None or v[1] is not None)


notes = Notes()


class Chance:
    """corotone's chance for a source: mulberry32, seeded from the seed and the source's name."""

    def __init__(self, source, seed=1):
        self.source = source
        self.seed(seed)

    def seed(self, seed):
        h = (seed & 0xFFFFFFFF) ^ 0x9E3779B9
        units = self.source.encode("utf-16-le", "surrogatepass")  # JavaScript's charCodeAt: UTF-16 code units
        for i in range(0, len(units), 2):
            h = ((h ^ int.from_bytes(units[i:i + 2], "little")) * 0x01000193) & 0xFFFFFFFF
        self.state = h

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + ((t ^ (t >> 7)) * (t | 61))) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296


chance = Chance(SOURCE)


def frequency(note):
    return 16.35 * 2 ** (note / 12)


class Machine:
    """Records note changes and task ends for --events; a no-op when playing live."""

    def __init__(self):
        self.loop = None
        self.shown = []
        self.dirty = False
        self.next_id = 1
        self.ids = {}
        self.parents = {}
        self.main = None

    def changed(self):
        self.dirty = True

    def waited(self):
        """The time tasks have waited so far (a blocked thread is not waiting); live, the real clock."""
        return time.monotonic() if self.loop is None else self.loop.now_ns - self.loop.held_ns

    def emit(self, event, t_ns=None):
        t_ns = self.loop.now_ns if t_ns is None else t_ns
        event = {"type": event.pop("type"), "t": t_ns / 1e9, "wall": t_ns / 1e9, **event}
        sys.stdout.write(json.dumps(event, separators=(",", ":")) + "\n")

    def end_instant(self):
        """Publish the set of notes once per logical instant, as corotone does."""
        gone = notes.drop_ended_hits(self.loop.now_ns)
        if gone:
            self.shown = [i for i in self.shown if i not in gone]
        if not self.dirty:
            return
        self.dirty = False
        ids = notes.ids()
        if ids != self.shown:
            self.shown = ids
            now = list(notes)
            self.emit({"type": "notes", "ns": self.loop.now_ns, "notes": now, "freqs": [frequency(n) for n in now]})


machine = Machine()


class OrderedTimer(asyncio.TimerHandle):
    """Timers due at the same time fire in the order they were set (as corotone's do)."""

    _count = 0

    def __init__(self, when, callback, args, loop, context=None):
        super().__init__(when, callback, args, loop, context)
        OrderedTimer._count += 1
        self.seq = OrderedTimer._count

    def __lt__(self, other):
        return (self._when, self.seq) < (other._when, other.seq)


class VirtualSelector:
    """In place of waiting for I/O: jump the clock to the next timer, or stop when nothing is left."""

    def __init__(self, loop, selector):
        self.loop = loop
        self.selector = selector

    def __getattr__(self, name):
        return getattr(self.selector, name)

    def select(self, timeout=None):
        if timeout == 0:
            return self.selector.select(0)
        machine.end_instant()
        loop = self.loop
        if timeout is None:
            loop.stop()  # idle: every task has ended
        elif UNTIL_NS is not None and loop._scheduled[0].when_ns > UNTIL_NS:
            # --until: time stops there and everything is cancelled, as corotone's quit does.
            loop.now_ns = max(loop.now_ns, UNTIL_NS)
            notes.end()
            for task in asyncio.all_tasks(loop):
                task.cancel()
            for timer in loop._scheduled:
                timer.cancel()
        else:
            loop.now_ns = loop._scheduled[0].when_ns
        return self.selector.select(0)


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An event loop on a virtual clock: sleeps take no real time, so the run ends at once."""

    def __init__(self):
        super().__init__()
        self.now_ns = 0
        self.held_ns = 0  # of that, the time time.sleep held the loop's thread
        self.worker_ns = None
        self._clock_resolution = 1e-10
        self._selector = VirtualSelector(self, self._selector)
        self.set_task_factory(self.watched_task)

    def time(self):
        return self.now_ns / 1e9

    def call_at(self, when, callback, *args, context=None):
        when_ns = round(when * 1e9)
        timer = OrderedTimer(when_ns / 1e9, callback, args, self, context)
        timer.when_ns = when_ns
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def hold(self, seconds):
        """time.sleep on the loop's thread: the clock moves on and nothing else runs."""
        if self.worker_ns is not None:
            self.worker_ns += round(seconds * 1e9)
            return
        machine.end_instant()
        self.now_ns += round(seconds * 1e9)
        self.held_ns += round(seconds * 1e9)

    def run_in_executor(self, executor, func, *args):
        """A worker thread's job of S seconds ends S later, and the loop's thread stays free."""
        self.worker_ns = 0
        try:
            result = func(*args)
        finally:
            took, self.worker_ns = self.worker_ns, None
        future = self.create_future()
        # The worker's answer comes back through the loop's queue, as call_soon_threadsafe brings it.
        finish = lambda: future.done() or future.set_result(result)
        answer = self.call_at((self.now_ns + took) / 1e9, self.call_soon, finish)
        future.add_done_callback(lambda _: answer.cancel())  # cancelled: nobody waits for the answer
        return future

    def watched_task(self, loop, coro, context=None):
        parent = asyncio.current_task(self)
        ended = {}

        async def watched():
            try:
                return await coro
            finally:
                ended["ns"] = self.now_ns

        task = asyncio.Task(watched(), loop=self, context=context)
        task_id = machine.next_id
        machine.next_id += 1
        machine.ids[task] = task_id
        machine.parents[task] = parent
        name = getattr(coro, "__qualname__", "task").replace("main.<locals>.", "")
        machine.emit({"type": "task-created", "id": task_id, "parent": machine.ids.get(parent),
                      "name": name, "kind": "source" if parent is None else "task", "source": SOURCE, "pos": None})

        def report_end(task):
            at = ended.get("ns")
            notes.task_ended(task, not task.cancelled() and task.exception() is None)
            if task.cancelled():
                machine.emit({"type": "task-cancelled", "id": task_id}, at)
            elif task.exception() is not None:
                error = task.exception()
                machine.emit({"type": "task-failed", "id": task_id,
                              "error": {"name": type(error).__name__, "message": str(error)}}, at)
            else:
                machine.emit({"type": "task-done", "id": task_id}, at)

        task.add_done_callback(report_end)
        return task


def run_on_virtual_clock(main):
    loop = VirtualTimeLoop()
    machine.loop = loop
    asyncio.set_event_loop(loop)
    time.sleep = loop.hold
    machine.main = loop.create_task(main())
    loop.run_forever()
    notes.end()  # the end: the stream stops, and its notes with it
    machine.end_instant()
    machine.emit({"type": "stream-end", "ns": loop.now_ns})
    loop.close()


class Speaker(threading.Thread):
    """The demo's stream: every 50 ms, the samples of the sounding notes for the time that passed."""

    RATE = 8000

    def __init__(self):
        super().__init__(daemon=True)
        self.done = threading.Event()

    HIT_SCALE = 0.4 * 127  # a hit's peak, in the demo's 8-bit steps

    def run(self):
        out = sys.stdout.buffer
        start = time.monotonic()
        k = 0
        playing = []  # (first sample, samples) of the hits sounding
        while True:
            finished = self.done.wait(0.05)
            due = int((time.monotonic() - start) * self.RATE)
            freqs = [frequency(n) for n in list(notes)]
            new, notes.sounds = notes.sounds, []
            playing += [(int((t - start) * self.RATE), sound) for t, sound in new]
            samples = bytearray()
            for k in range(k, due):
                level = 127
                if freqs:
                    level += 0.8 * 127 * (sum(math.sin(2 * math.pi * f * k / self.RATE) for f in freqs) / len(freqs))
                for first, sound in playing:
                    if 0 <= k - first < len(sound):
                        level += self.HIT_SCALE * sound[k - first]
                samples.append(min(255, max(0, math.floor(level))))
            k = due
            playing = [(first, sound) for first, sound in playing if first + len(sound) > k]
            try:
                out.write(samples)
                out.flush()
            except BrokenPipeError:
                # Nobody listens any more (play quit): the program runs on, silently.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                return
            if finished:
                return


def owning_task(loop, coro, context=None):
    """Live: a task's notes are its own, handed on when it ends and let go of when it is cancelled or fails."""
    parent = asyncio.current_task(loop)
    task = asyncio.Task(coro, loop=loop, context=context)
    machine.parents[task] = parent
    task.add_done_callback(lambda task: notes.task_ended(task, not task.cancelled() and task.exception() is None))
    return task


async def until_every_task_ends(main):
    """corotone plays on until every task has ended (asyncio.run would cancel them when main returns)."""
    asyncio.get_running_loop().set_task_factory(owning_task)
    machine.main = asyncio.current_task()
    await main()
    while others := asyncio.all_tasks() - {asyncio.current_task()}:
        await asyncio.wait(others)


def run(main):
    if EVENTS:
        run_on_virtual_clock(main)
        return
    speaker = Speaker()
    if sys.stdout.isatty():
        print("The sound goes to standard output: pipe it into play, e.g.\n"
              f"  python3 {sys.argv[0]} | play -q -t raw -r 8000 -c 1 -b 8 -e unsigned --buffer 256 -",
              file=sys.stderr)
    else:
        speaker.start()
    try:
        asyncio.run(until_every_task_ends(main))
    except (asyncio.CancelledError, KeyboardInterrupt):
        pass  # quit or panic cancelled everything, or Ctrl+C
    finally:
        if speaker.is_alive():
            speaker.done.set()
            speaker.join()
`;
