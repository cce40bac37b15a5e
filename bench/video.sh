#!/usr/bin/env bash
# Rendering a video project (issue 23): a SECONDS-long (default 30) 9:16 1080x1920 30 fps project — three
# video clips back to back (cover-fitted, the second and third fading in), a logo with x, y and scale
# keyframes (ease-in-out), music with volume keyframes (down over the last 3 s), ten burned captions — rendered
# through the API (POST /video/projects/{id}/renders to `succeeded`, polled every 50 ms), against a
# hand-written ffmpeg command making the same video from the same files with the same encoder settings
# (at the default quality libx264 veryfast crf 20 me=dia:subme=1, yuv420p, AAC 128k, faststart), the way a skilled person would write it:
# input trims, concat, one overlay with cosine-eased expressions, amix, drawtext with enable ranges.
# ROUNDS rounds (default 2), alternating which runs first; each round also runs the ffmpeg command Ozzi
# ran (caught from /proc during the first render, with the filter files from its work folder) on its own,
# which splits Ozzi's time into ffmpeg's and the rest (copying the assets out of the bucket, probing, the
# poster, the upload). Every output is checked with ffprobe (size, length, h264 + aac) before it counts.
# The host runs wrangler-like.toml as it ships (video-render at its default concurrency), on both cores:
# ffmpeg inherits the host's CPU affinity, so the usual core-0 pin would give it one core
# (HOST_CORES=0 shows that). The media is made with ffmpeg's lavfi sources first (not timed).
# VIDEO_BENCH_KEEP=DIR keeps the outputs and the captured commands there; VIDEO_BENCH_IDLE=SECONDS waits up to that
# long before each run for the cores to be under 20% busy (this VM runs CI rehearsals and tests).
# Usage: bench/video.sh [seconds (30)] [rounds (2)]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
seconds=${1:-30}; rounds=${2:-2}
port=18804
work=$(mktemp -d)
cleanup() {
  # ffmpeg processes this run started (the host's or the driver's) go with it: found by the work folder in
  # their arguments, ended by id.
  for pid in $(pgrep -f -- "$work" || true); do kill "$pid" 2>/dev/null || true; done
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
source bench/common.sh

media=$work/media
mkdir -p "$media"
clip=$(python3 -c "print(max(12, int($seconds / 3) + 2))")
make() { ffmpeg -hide_banner -loglevel error -y "$@"; }
encode=(-c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -c:a aac -b:a 128k -t "$clip")
echo "making the media (three ${clip} s clips, a logo, $seconds s of music)..."
# 1: landscape test pattern with a moving gradient and a tone.
make -f lavfi -i "testsrc2=s=1920x1080:r=30" -f lavfi -i "sine=f=440:r=48000" "${encode[@]}" "$media/clip1.mp4"
# 2: a Mandelbrot zoom (landscape, 720p), another tone.
make -f lavfi -i "mandelbrot=s=1280x720:r=30" -f lavfi -i "sine=f=554:r=48000" "${encode[@]}" "$media/clip2.mp4"
# 3: portrait, drifting colour gradients with a little grain and a test card moving over them, a third tone.
make -f lavfi -i "gradients=s=1080x1920:r=30:c0=0x1a2a6c:c1=0xb21f1f:c2=0xfdbb2d:n=3:speed=0.03:seed=1" -f lavfi -i "testsrc=s=480x480:r=30" \
  -f lavfi -i "sine=f=659:r=48000" \
  -filter_complex "[0:v]noise=alls=3:allf=t[g];[g][1:v]overlay=x='300+250*sin(t)':y='200+90*t'[v]" -map "[v]" -map 2:a \
  "${encode[@]}" "$media/clip3.mp4"
# The logo: a 300x300 PNG, an orange disc with a gradient on a transparent square, a word on it.
make -f lavfi -i "color=c=black@0:s=300x300,format=rgba" -frames:v 1 \
  -vf "geq=r='255':g='90+X/3':b='40+Y/4':a='if(lt(hypot(X-150,Y-150),145),255,0)',drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf:text=OZZI:fontsize=72:fontcolor=white:x=(w-text_w)/2:y=(h-text_h)/2" \
  "$media/logo.png"
# The music: an A-minor chord, pulsing, as an MP3.
make -f lavfi -i "sine=f=220:r=48000" -f lavfi -i "sine=f=261.63:r=48000" -f lavfi -i "sine=f=329.63:r=48000" \
  -filter_complex "amix=inputs=3,tremolo=f=2:d=0.5,volume=2" -t "$seconds" -ac 2 -c:a libmp3lame -b:a 192k "$media/music.mp3"

HOST_CORES=${HOST_CORES:-0,1} start_api_host "$port" "$work"
host_pid=$(jobs -p | tail -1)
key=$(create_api_key "$port")
python3 bench/video_driver.py "http://127.0.0.1:$port/api/v1" "$key" "$work" "$host_pid" "$seconds" "$rounds"
