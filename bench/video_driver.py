"""bench/video.sh's driver: uploads the media, makes the project, then times Ozzi's render through the API
against a hand-written ffmpeg command (and Ozzi's own ffmpeg command run alone), alternating, and checks
every output with ffprobe."""
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

base, key, work, host_pid, seconds, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
media = work + "/media"
out = work + "/out"
os.makedirs(out, exist_ok=True)
D = seconds
third = round(D / 3, 3)
fade = min(3.0, D / 3)  # the music's fade down at the end
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
CAPTIONS = ["Welcome to Ozzi Edge", "Three clips in one render", "Cut on the beat", "A logo that moves",
            "Eased in and out", "Music under it all", "Captions burned in", "Made through the API",
            "Ready for every channel", "Thanks for watching"]


def call(method, path, body=None, raw=None, content_type="application/json"):
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(base + path, method=method, data=data,
                                     headers={"authorization": "Bearer " + key, "content-type": content_type})
    try:
        with urllib.request.urlopen(request) as answer:
            payload = answer.read()
    except urllib.error.HTTPError as error:
        sys.exit(f"{method} {path}: {error.code} {error.read().decode()[:2000]}")
    return json.loads(payload) if payload else None


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cpu_sample():
    """(all CPU time, idle CPU time) of the machine so far, in ticks."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return sum(values[:8]), values[3] + values[4]


def busy(interval=2.0):
    """The share of both cores busy over `interval` seconds (whoever is using them)."""
    total0, idle0 = cpu_sample()
    time.sleep(interval)
    total1, idle1 = cpu_sample()
    return 1 - (idle1 - idle0) / max(1, total1 - total0)


def probe(path):
    answer = json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", path],
                                       check=True, capture_output=True, text=True).stdout)
    streams = answer["streams"]
    video = next(s for s in streams if s["codec_type"] == "video")
    duration = float(answer["format"]["duration"])
    codecs = sorted(s["codec_name"] for s in streams)
    problems = []
    if (video["width"], video["height"]) != (1080, 1920):
        problems.append(f"size {video['width']}x{video['height']}")
    if abs(duration - D) > 0.1:
        problems.append(f"duration {duration:.3f} s")
    if codecs != ["aac", "h264"]:
        problems.append(f"codecs {codecs}")
    if problems:
        sys.exit(f"{path}: not the video asked for: " + ", ".join(problems))
    return duration, os.path.getsize(path)


# --- The media and the project -------------------------------------------------------------------------

def upload(name, content_type):
    with open(f"{media}/{name}", "rb") as f:
        return call("POST", f"/video/assets?name={name}", raw=f.read(), content_type=content_type)["id"]


clips = [upload(f"clip{i}.mp4", "video/mp4") for i in (1, 2, 3)]
logo = upload("logo.png", "image/png")
music = upload("music.mp3", "audio/mpeg")

ease = "ease-in-out"
segment = D / len(CAPTIONS)
project = call("POST", "/video/projects", {
    "name": "Bench: 9:16 with three clips", "aspect_ratio": "9:16", "resolution": 1080, "fps": 30, "duration": D,
    "tracks": [
        {"kind": "video", "clips": [
            {"asset_id": clips[0], "start": 0, "duration": third, "fit": "cover", "volume": 0.5},
            {"asset_id": clips[1], "start": third, "duration": third, "fit": "cover", "volume": 0.5, "fade_in": 0.5},
            {"asset_id": clips[2], "start": 2 * third, "duration": round(D - 2 * third, 3), "fit": "cover", "volume": 0.5, "fade_in": 0.5},
        ]},
        {"kind": "image", "clips": [
            {"asset_id": logo, "start": 0, "duration": D, "x": 60, "y": 160, "width": 300, "height": 300, "keyframes": {
                "x": [{"time": 0, "value": 60, "easing": ease}, {"time": D / 2, "value": 720, "easing": ease}, {"time": D, "value": 60}],
                "y": [{"time": 0, "value": 160, "easing": ease}, {"time": D, "value": 1300}],
                "scale": [{"time": 0, "value": 1, "easing": ease}, {"time": D / 2, "value": 1.5, "easing": ease}, {"time": D, "value": 0.8}],
            }},
        ]},
        {"kind": "audio", "clips": [
            {"asset_id": music, "start": 0, "duration": D, "keyframes": {
                "volume": [{"time": 0, "value": 0.8}, {"time": D - fade, "value": 0.8}, {"time": D, "value": 0}]}},
        ]},
    ],
    "captions": {"segments": [{"start": round(i * segment + 0.1, 3), "end": round((i + 1) * segment - 0.1, 3), "text": text}
                              for i, text in enumerate(CAPTIONS)]},
})["id"]


# --- The hand-written command --------------------------------------------------------------------------

def cosine(p):
    """ease-in-out as a person writes it: half a cosine over progress p (0..1)."""
    return f"(1-cos(PI*{p}))/2"


def keyed(a, b, c, half):
    """a -> b over [0, half], b -> c over [half, 2 half], eased."""
    return f"if(lt(t,{half}),{a}+({b - a})*{cosine(f't/{half}')},{b}+({c - b})*{cosine(f'(t-{half})/{half}')})"

# VIDEO_BENCH_QUALITY=draft|standard|high: the render's quality, and the same x264 preset, CRF and options for the
# VIDEO_BENCH_QUALITY=draft|standard|high: the render's quality, and the same x264 preset and CRF for the
# hand-written command (RenderQuality in Workers/Shared/VideoTimeline/Render).
QUALITY = os.environ.get("VIDEO_BENCH_QUALITY", "standard")
ENCODER = {"draft": ("ultrafast", "23", []), "standard": ("veryfast", "20", ["-x264-params", "me=dia:subme=1"]),
           "high": ("medium", "18", [])}[QUALITY]


def hand_command(output):
    half = D / 2
    fit = "fps=30,scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1,format=yuv420p"
    audio = "aformat=sample_rates=48000:channel_layouts=stereo"
    scale = keyed(1, 1.5, 0.8, half)
    x = keyed(60, 720, 60, half)
    y = f"160+1140*{cosine(f't/{D}')}"
    captions = ",".join(
        f"drawtext=fontfile={FONT}:text='{text}':fontsize=56:fontcolor=white:box=1:boxcolor=black@0.63:boxborderw=11"
        f":x=(w-text_w)/2:y=h-171-text_h:enable='between(t,{i * segment + 0.1:.3f},{(i + 1) * segment - 0.1:.3f})'"
        for i, text in enumerate(CAPTIONS))
    graph = ";".join([
        f"[0:v]{fit}[v0]", f"[1:v]{fit},fade=t=in:d=0.5[v1]", f"[2:v]{fit},fade=t=in:d=0.5[v2]",
        f"[0:a]{audio}[a0]", f"[1:a]{audio}[a1]", f"[2:a]{audio}[a2]",
        "[v0][a0][v1][a1][v2][a2]concat=n=3:v=1:a=1[base][voices]",
        f"[3:v]scale=w='300*({scale})':h='300*({scale})':eval=frame[logo]",
        f"[base][logo]overlay=x='{x}+150-overlay_w/2':y='{y}+150-overlay_h/2':eval=frame,{captions}[v]",
        f"[4:a]volume='0.8*min(1,({D}-t)/{fade})':eval=frame[music]",
        "[voices]volume=0.5[quiet]",
        "[quiet][music]amix=inputs=2:normalize=0:duration=longest[a]",
    ])
    rest = D - 2 * third
    return (["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
             "-t", str(third), "-i", f"{media}/clip1.mp4", "-t", str(third), "-i", f"{media}/clip2.mp4",
             "-t", str(round(rest, 3)), "-i", f"{media}/clip3.mp4",
             "-loop", "1", "-framerate", "30", "-t", str(D), "-i", f"{media}/logo.png", "-i", f"{media}/music.mp3",
             "-filter_complex", graph, "-map", "[v]", "-map", "[a]",
             "-c:v", "libx264", "-preset", ENCODER[0], "-crf", ENCODER[1], *ENCODER[2], "-pix_fmt", "yuv420p", "-r", "30",
             "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-t", str(D), output])


# --- Ozzi's render, and its ffmpeg caught on the way ---------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def stat(pid):
    """(ppid, cpu seconds, start seconds since boot) of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK, int(fields[19]) / TICK


def uptime():
    with open("/proc/uptime") as f:
        return float(f.read().split()[0])


class Watcher(threading.Thread):
    """Finds the host's ffmpeg with a filter graph (the render, not the poster), keeps its command line and
    filter files, and follows its CPU time and life until it exits."""

    def __init__(self, capture):
        super().__init__(daemon=True)
        self.capture = capture
        self.stop = False
        self.pid = None
        self.cpu = 0.0
        self.started = self.ended = None
        self.argv = None

    def run(self):
        while not self.stop:
            if self.pid is None:
                for name in os.listdir("/proc"):
                    if not name.isdigit():
                        continue
                    info = stat(name)
                    if not info or info[0] != host_pid:
                        continue
                    try:
                        with open(f"/proc/{name}/cmdline", "rb") as f:
                            argv = [a.decode() for a in f.read().split(b"\0")[:-1]]
                    except OSError:
                        continue
                    if not any(a.startswith("-filter_complex") for a in argv):
                        continue
                    self.pid, self.argv, self.started = int(name), argv, info[2]
                    if self.capture:
                        folder = os.path.dirname(argv[-1])
                        os.makedirs(f"{out}/ozzi-files", exist_ok=True)
                        for entry in os.listdir(folder):
                            if entry.endswith((".txt", ".cmd")):
                                shutil.copy(f"{folder}/{entry}", f"{out}/ozzi-files/{entry}")
                    break
            else:
                info = stat(self.pid)
                if info is None or info[0] != host_pid:
                    self.ended = uptime()
                    return
                self.cpu = info[1]
            time.sleep(0.05)


ozzi_argv = None
ozzi_argv_as_run = None


def ozzi_render(round_number):
    global ozzi_argv, ozzi_argv_as_run
    watcher = Watcher(capture=ozzi_argv is None)
    watcher.start()
    started, posted = time.monotonic(), uptime()
    render = call("POST", f"/video/projects/{project}/renders", {"quality": QUALITY})
    while render["status"] in ("queued", "rendering"):
        time.sleep(0.05)
        render = call("GET", f"/video/renders/{render['id']}")
    wall, done = time.monotonic() - started, uptime()
    watcher.stop = True
    watcher.join()
    if render["status"] != "succeeded":
        sys.exit(f"the render {render['status']}: {render.get('error')}")
    file = f"{out}/ozzi-{round_number}.mp4"
    request = urllib.request.Request(base + f"/video/renders/{render['id']}/video", headers={"authorization": "Bearer " + key})
    with urllib.request.urlopen(request) as answer, open(file, "wb") as f:
        shutil.copyfileobj(answer, f)
    if watcher.argv is None:
        sys.exit("the render's ffmpeg was not seen")
    if ozzi_argv is None:
        # The same command against this script's files: the assets (asset-N, in order of first use) are the
        # media they were uploaded from, the filter files the copies just taken.
        folder = os.path.dirname(watcher.argv[-1])
        originals = [f"{media}/{n}" for n in ("clip1.mp4", "clip2.mp4", "clip3.mp4", "logo.png", "music.mp3")]
        argv = []
        for arg in watcher.argv:
            for index, original in enumerate(originals):
                arg = arg.replace(f"{folder}/asset-{index}", original)
            argv.append(arg.replace(folder, f"{out}/ozzi-files"))
        for name in os.listdir(f"{out}/ozzi-files"):
            path = f"{out}/ozzi-files/{name}"
            with open(path) as f:
                text = f.read()
            with open(path, "w") as f:
                f.write(text.replace(folder, f"{out}/ozzi-files"))
        ozzi_argv, ozzi_argv_as_run = argv, watcher.argv
    ended = watcher.ended or done
    return {"wall": wall, "ffmpeg_wall": ended - watcher.started, "before": watcher.started - posted, "after": done - ended,
            "cpu": watcher.cpu, "file": file}


def run_command(argv, file):
    started = time.monotonic()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    error = process.stderr.read().decode()
    process.returncode = status
    if status != 0:
        sys.exit(f"{argv[0]} failed ({status}): {error[-2000:]}")
    return {"wall": wall, "ffmpeg_wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "file": file}


def hand(round_number):
    file = f"{out}/hand-{round_number}.mp4"
    return run_command(hand_command(file), file)


def ozzi_alone(round_number):
    file = f"{out}/ozzi-alone-{round_number}.mp4"
    # The MP4 is written where the render's was (the poster, the command's last output, stays in its folder).
    argv = [file if arg.endswith("/render.mp4") else arg for arg in ozzi_argv]
    return run_command(["ffmpeg"] + argv[1:], file)


# VIDEO_BENCH_IDLE=SECONDS: before each run, wait up to that long for the cores to be under 20% busy (over 5 s).
idle_wait = float(os.environ.get("VIDEO_BENCH_IDLE", "0"))


def wait_for_quiet(limit):
    started = time.monotonic()
    while True:
        share = busy(5.0)
        if share <= 0.2 or time.monotonic() - started >= limit:
            return time.monotonic() - started, share


# --- The rounds ----------------------------------------------------------------------------------------

print(f"{D:g} s 9:16 project at 1080x1920, 30 fps: 3 clips, a keyframed logo, music, {len(CAPTIONS)} captions; {rounds} rounds; quality {QUALITY} (x264 {ENCODER[0]}, CRF {ENCODER[1]} {' '.join(ENCODER[2])})")
print(f"load average at the start: {load()}; cores busy before the first run (2 s): {busy() * 100:.0f}%"
      " (a shared VM: CI rehearsals and test runs come and go on it)")
# The first ffmpeg after the set-up runs slower, whoever starts it (seen as +1.5 s on a 3 s project, by the
# hand-written command as much as by Ozzi's): a short run first, not counted.
warm = run_command(hand_command(f"{out}/warm-up.mp4")[:-1] + ["-t", str(min(3.0, D)), f"{out}/warm-up.mp4"], f"{out}/warm-up.mp4")
print(f"  warm-up (the hand-written command, {min(3.0, D):g} s of it; not counted): {warm['wall']:.2f} s")
runs = {"ozzi": [], "hand": [], "ozzi-alone": []}
labels = {"ozzi": "Ozzi (API, POST to succeeded)", "hand": "hand-written ffmpeg", "ozzi-alone": "Ozzi's ffmpeg command alone"}
for r in range(1, rounds + 1):
    order = ["ozzi", "hand", "ozzi-alone"] if r % 2 else ["ozzi-alone", "hand", "ozzi"]
    if ozzi_argv is None:
        order = ["ozzi", "hand", "ozzi-alone"]
    for what in order:
        if idle_wait > 0:
            waited, share = wait_for_quiet(idle_wait)
            if share > 0.2:
                print(f"  (the cores stayed {share * 100:.0f}% busy through {waited:.0f} s of waiting: this run shares them)")
        total0, idle0 = cpu_sample()
        result = {"ozzi": ozzi_render, "hand": hand, "ozzi-alone": ozzi_alone}[what](r)
        total1, idle1 = cpu_sample()
        # What the rest of the machine (builds, tests; also the host and this driver) used meanwhile.
        result["others"] = max(0.0, ((total1 - total0) - (idle1 - idle0)) / TICK - result["cpu"])
        duration, size = probe(result["file"])
        result.update(duration=duration, size=size, load=load())
        runs[what].append(result)
        extra = (f" [{result['before']:.2f} s to ffmpeg's start, ffmpeg {result['ffmpeg_wall']:.2f} s, {result['after']:.2f} s after]"
                 if what == "ozzi" else "")
        print(f"  round {r} {labels[what]:<31} {result['wall']:6.2f} s ({D / result['wall']:.2f}x real time){extra}, "
              f"ffmpeg CPU {result['cpu']:.1f} s, others {result['others']:.1f} s; {duration:.3f} s, {size / 1e6:.1f} MB; load {result['load']}", flush=True)

# The figures: medians of the runs the rest of the machine left alone (under 5 core-seconds beside them, which
# leaves room for the host's own probes, poster and upload in Ozzi's), or of all runs when none was.
def quiet(results):
    chosen = [r for r in results if r["others"] < 5.0]
    return chosen or results


median = {what: statistics.median(r["wall"] for r in quiet(results)) for what, results in runs.items()}
best = {what: min(r["wall"] for r in results) for what, results in runs.items()}
counted = {what: len(quiet(results)) for what, results in runs.items()}
ffmpeg_median = statistics.median(r["ffmpeg_wall"] for r in quiet(runs["ozzi"]))
print()
print(f"(medians of the quiet runs: Ozzi {counted['ozzi']}, hand-written {counted['hand']}, Ozzi's command alone {counted['ozzi-alone']} of {rounds}; "
      f"of all runs: Ozzi {statistics.median(r['wall'] for r in runs['ozzi']):.2f} s, hand-written {statistics.median(r['wall'] for r in runs['hand']):.2f} s)")
print(f"render via Ozzi: {median['ozzi']:.2f} s ({D / median['ozzi']:.2f}x real time) (best {best['ozzi']:.2f} s)")
print(f"hand-written ffmpeg: {median['hand']:.2f} s ({D / median['hand']:.2f}x real time) (best {best['hand']:.2f} s)")
print(f"ratio ozzi/hand: {median['ozzi'] / median['hand']:.3f} (best/best {best['ozzi'] / best['hand']:.3f})")
print(f"  of Ozzi's time, its ffmpeg ran {ffmpeg_median:.2f} s (median); before it (the assets copied out of the bucket and probed) "
      f"{statistics.median(r['before'] for r in quiet(runs['ozzi'])):.2f} s, after it (the poster, a probe, the upload, the report, the poll) "
      f"{statistics.median(r['after'] for r in quiet(runs['ozzi'])):.2f} s")
print(f"  Ozzi's ffmpeg command alone: {median['ozzi-alone']:.2f} s ({D / median['ozzi-alone']:.2f}x real time); "
      f"ratio to the hand-written one {median['ozzi-alone'] / median['hand']:.3f}")
print(f"  ffmpeg CPU (median of all runs): Ozzi {statistics.median(r['cpu'] for r in runs['ozzi']):.1f} s, "
      f"alone {statistics.median(r['cpu'] for r in runs['ozzi-alone']):.1f} s, hand-written {statistics.median(r['cpu'] for r in runs['hand']):.1f} s")

# The two videos side by side (informative: the eases differ — Ozzi's cubic Bézier, the hand's cosine — and so
# do the caption boxes by a pixel or two).
ssim = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", runs["ozzi"][0]["file"], "-i", runs["hand"][0]["file"], "-lavfi",
                       "[0:v]scale=270:480[a];[1:v]scale=270:480[b];[a][b]ssim", "-f", "null", "-"], capture_output=True, text=True).stderr
line = next((l for l in ssim.splitlines() if "SSIM" in l), "")
print(f"  Ozzi's video beside the hand-written one (SSIM at 270x480): {line.split('All:')[-1].strip() if line else 'n/a'}")
print(f"load average at the end: {load()}")

keep = os.environ.get("VIDEO_BENCH_KEEP")
if keep:
    os.makedirs(keep, exist_ok=True)
    for name in os.listdir(out):
        source = f"{out}/{name}"
        (shutil.copytree if os.path.isdir(source) else shutil.copy)(source, f"{keep}/{name}")
    with open(f"{keep}/commands.txt", "w") as f:
        f.write("ozzi, as the host ran it:\n" + shlex.join(ozzi_argv_as_run) + "\n\nozzi, on this script's files:\n" + shlex.join(ozzi_argv)
                + "\n\nhand-written:\n" + shlex.join(hand_command("out.mp4")) + "\n")
    print(f"kept in {keep}")
