#!/usr/bin/env python3
"""Build a Stratagraph knowledge graph of a corpus on Spark.

Each partition of the corpus goes through `stratagraph extract --jsonl` on an
executor (one N-Quads part a task), then the driver runs `stratagraph merge`
on the parts: graph.nq, graph.ttl and candidates.tsv come out byte for byte
as `stratagraph build` of all the documents writes them, however the corpus
is partitioned. See README.md beside this file.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, threading, time
from urllib.parse import urlparse

from pyspark import SparkConf, SparkContext, SparkFiles


def local(uri):
    """The local path of a file: URI or plain path, else None (hdfs://, s3a://)."""
    u = urlparse(uri)
    return u.path if u.scheme == "file" else (uri if u.scheme == "" else None)


def text_records(root):
    """A local folder of .txt/.md files read as `build` reads it: recursively,
    in sorted order, a folder reached twice through links once, a leading
    byte-order mark dropped, a binary, non-UTF-8 or unreadable file skipped.
    Returns the records {id: path relative to ROOT, text} and the skipped."""
    seen, skipped = set(), []
    def walk(d):
        if os.path.realpath(d) in seen:
            return
        seen.add(os.path.realpath(d))
        try:
            names = sorted(os.listdir(d))
        except OSError as e:
            skipped.append(f"{d}: {e.strerror}")
            return
        for name in names:
            p = os.path.join(d, name)
            if os.path.isdir(p):
                yield from walk(p)
            elif os.path.splitext(name)[1].lower() in (".txt", ".md"):
                try:
                    if not os.path.isfile(p):
                        raise ValueError("not a regular file")
                    with open(p, "rb") as f:
                        data = f.read().removeprefix(b"\xef\xbb\xbf")
                    if b"\0" in data:
                        raise ValueError("binary file")
                    text = data.decode("utf-8")
                except (OSError, ValueError) as e:  # UnicodeDecodeError is a ValueError
                    skipped.append(f"{p}: {e}")
                    continue
                yield {"id": os.path.relpath(p, root).replace(os.sep, "/"), "text": text}
    return list(walk(root)), skipped


def extractor(binary, ontology, extra, base, bad_tasks):
    """The function each task runs: its lines (JSON objects) through extract."""
    def run(lines):
        exe = SparkFiles.get(binary)
        if not os.access(exe, os.X_OK):
            os.chmod(exe, 0o755)
        cmd = [exe, "extract", "--jsonl", "--base", base, "--ontology-dir", SparkFiles.get(ontology)]
        for name in extra:
            cmd += ["--ontology", SparkFiles.get(name)]
        with tempfile.TemporaryFile() as err:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
            failed = []
            def feed():  # in a thread, so that extract's output never blocks its input
                try:
                    for line in lines:
                        proc.stdin.write(line.encode("utf-8") + b"\n")
                except BrokenPipeError:
                    pass  # extract stopped: its exit status says why
                except BaseException as e:
                    failed.append(e)
                finally:
                    try:
                        proc.stdin.close()
                    except BrokenPipeError:
                        pass
            writer = threading.Thread(target=feed, daemon=True)
            writer.start()
            for quad in proc.stdout:  # bytes, split on \n only
                yield quad.rstrip(b"\n").decode("utf-8")
            writer.join()
            rc = proc.wait()
            if failed:
                raise failed[0]
            err.seek(0)
            msg = err.read().decode("utf-8", "replace")
            sys.stderr.write(msg)  # the executor's log
            if rc == 1:  # some lines were skipped, each one named on stderr
                bad_tasks.add(1)
            elif rc != 0:
                raise RuntimeError(f"{' '.join(cmd)} exited {rc}:\n{msg[-4000:]}")
    return run


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="JSON Lines {id, text}: a file, folder or glob, local or on HDFS, S3, ...")
    ap.add_argument("output", help="local folder on the driver for graph.nq, graph.ttl, candidates.tsv")
    ap.add_argument("--texts", action="store_true", help="INPUT is a local folder of .txt/.md files, "
                    "read on the driver as `build` reads it (id = relative path)")
    ap.add_argument("--parts", help="where the tasks write their N-Quads [default: OUTPUT/parts]")
    ap.add_argument("--binary", default=shutil.which("stratagraph"), help="the stratagraph binary "
                    "for the executors' platform, a local path or URI [default: on PATH]")
    ap.add_argument("--merge-binary", help="the local binary the driver merges with [default: --binary]")
    ap.add_argument("--ontology-dir", default=os.environ.get("STRATAGRAPH_ONTOLOGY"),
                    help="the ontology folder, or a .zip/.tgz of its files [default: $STRATAGRAPH_ONTOLOGY]")
    ap.add_argument("--ontology", action="append", default=[], help="an extra Turtle file (repeatable)")
    ap.add_argument("--partitions", type=int, help="number of extract tasks [default: Spark's]")
    ap.add_argument("--base", default="https://w3id.org/stratagraph/id/")
    ap.add_argument("--master", help="the Spark master, when spark-submit does not give it")
    a = ap.parse_args()
    if not a.binary or not a.ontology_dir:
        ap.error("--binary and --ontology-dir are needed (or stratagraph on PATH, $STRATAGRAPH_ONTOLOGY)")
    if a.texts and not (local(a.input) and os.path.isdir(local(a.input))):
        ap.error(f"--texts needs a local folder, not {a.input}")
    out = os.path.abspath(a.output)
    parts = a.parts or "file://" + os.path.join(out, "parts")
    tmp = tempfile.mkdtemp(prefix="stratagraph-spark-")
    try:
        files, skipped, bad = run_job(a, parts, tmp)
        merge_bin, onto = a.merge_binary or local(a.binary), local(a.ontology_dir)
        if not merge_bin or not onto or not os.path.isdir(onto):
            sys.exit(f"stratagraph_spark: parts in {parts}; merging needs a local binary "
                     "(--merge-binary) and a local --ontology-dir folder")
        cmd = [merge_bin, "merge", *files, "--out", out, "--base", a.base, "--ontology-dir", onto]
        for f in a.ontology:
            cmd += ["--ontology", local(f) or f]
        started = time.time()
        rc = subprocess.call(cmd)
        print(f"stratagraph_spark: merge {time.time() - started:.1f} s", file=sys.stderr)
    finally:
        shutil.rmtree(tmp)
    for p in skipped:
        print(f"stratagraph_spark: skipped {p}", file=sys.stderr)
    if bad:
        print(f"stratagraph_spark: {bad} tasks skipped bad lines (see the executors' stderr)", file=sys.stderr)
    sys.exit(rc or (1 if skipped or bad else 0))


def run_job(a, parts, tmp):
    """Runs the Spark job; returns the local part files, the files skipped
    and the number of tasks that skipped lines."""
    conf = SparkConf().setAppName("stratagraph").setIfMissing("spark.log.level", "WARN")
    if a.master:
        conf.setMaster(a.master)
    sc = SparkContext(conf=conf)
    print(f"stratagraph_spark: master {sc.master}, application {sc.applicationId}", file=sys.stderr)
    # Ship the binary, the ontology (a local folder as an archive: Spark ships
    # local folders in local mode only) and the extra Turtle files.
    sc.addFile(a.binary)
    onto = a.ontology_dir.rstrip("/")
    if onto.endswith((".zip", ".tgz", ".tar.gz", ".tar")):
        sc.addArchive(onto)
    elif local(onto) is not None:
        onto = shutil.make_archive(os.path.join(tmp, "ontology"), "zip", local(onto))
        sc.addArchive(onto)
    else:
        sc.addFile(onto, recursive=True)  # a folder on HDFS, S3, ...
    for f in a.ontology:
        sc.addFile(f)

    started, skipped = time.time(), []
    if a.texts:
        records, skipped = text_records(local(a.input))
        lines = sc.parallelize([json.dumps(r, ensure_ascii=False) for r in records], a.partitions)
    else:
        lines = sc.textFile(a.input)
        if a.partitions:
            lines = lines.repartition(a.partitions)
    name = lambda p: os.path.basename(urlparse(p).path)
    bad = sc.accumulator(0)
    run = extractor(name(a.binary), name(onto), [name(f) for f in a.ontology], a.base, bad)
    lines.mapPartitions(run).saveAsTextFile(parts)
    print(f"stratagraph_spark: extract {time.time() - started:.1f} s", file=sys.stderr)

    # merge reads .nq files: local parts get the extension, parts on HDFS or
    # S3 are fetched into one local file.
    if local(parts) is not None:
        d, files = local(parts), []
        for f in sorted(os.listdir(local(parts))):
            if f.startswith("part-"):
                if not f.endswith(".nq"):
                    os.rename(os.path.join(d, f), os.path.join(d, f + ".nq"))
                files.append(os.path.join(d, f.removesuffix(".nq") + ".nq"))
    else:
        files = [os.path.join(tmp, "parts.nq")]
        with open(files[0], "w", encoding="utf-8") as f:
            for quad in sc.textFile(parts).toLocalIterator():
                f.write(quad + "\n")
    sc.stop()
    return files, skipped, bad.value


if __name__ == "__main__":
    main()
