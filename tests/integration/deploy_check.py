#!/usr/bin/env python3
"""Checks of the deployment manifests (used by deploy_manifests.sh).

  deploy_check.py unit FILE          the systemd unit: prints the
                                     `flightrec capture` arguments of its
                                     ExecStart, one per line
  deploy_check.py daemonset FILE     the Kubernetes manifests: prints the
                                     container's capture arguments

Exits 1 with a message on the first check that fails.
"""
import shlex
import sys

import yaml


def fail(msg):
    print(f"deploy_check: {msg}", file=sys.stderr)
    sys.exit(1)


def duration_s(v):
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    for u in ("ms", "s", "m", "h"):
        if v.endswith(u) and v[: -len(u)].replace(".", "", 1).isdigit():
            return float(v[: -len(u)]) * units[u]
    fail(f"not a duration: {v}")


def option(args, name):
    """The value of --name (as --name=V or --name V), or None."""
    for i, a in enumerate(args):
        if a == name and i + 1 < len(args):
            return args[i + 1]
        if a.startswith(name + "="):
            return a[len(name) + 1 :]
    return None


def check_capture_args(args, where):
    if args[:1] != ["capture"]:
        fail(f"{where}: runs `flightrec {' '.join(args[:1])}`, not `flightrec capture`")
    out = option(args, "--out") or option(args, "-o")
    if not out:
        fail(f"{where}: no --out: bundles would go to the default without being planned for")
    post = option(args, "--post")
    return out, duration_s(post) if post else 10.0


def unit(path):
    sections, cur, pending = {}, None, ""
    for raw in open(path, encoding="utf-8"):
        line = pending + raw.rstrip("\n")
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        s = line.strip()
        if not s or s[0] in "#;":
            continue
        if s.startswith("[") and s.endswith("]"):
            cur = sections.setdefault(s[1:-1], {})
            continue
        if cur is None or "=" not in s:
            fail(f"{path}: a line outside any section or without '=': {s}")
        k, v = s.split("=", 1)
        cur.setdefault(k.strip(), []).append(v.strip())
    svc = sections.get("Service") or fail("no [Service] section")
    if "Install" not in sections or sections["Install"].get("WantedBy") != ["multi-user.target"]:
        fail("the unit is not wanted by multi-user.target: it would not start at boot")
    argv = shlex.split(svc.get("ExecStart", [""])[0])
    if not argv or not argv[0].endswith("/flightrec"):
        fail(f"ExecStart does not run flightrec: {argv[:1]}")
    out, post = check_capture_args(argv[1:], "ExecStart")
    state = svc.get("StateDirectory", [None])[0]
    if not state or out != "/var/lib/" + state:
        fail(f"--out {out} is not the service's StateDirectory (/var/lib/{state})")
    if svc.get("StateDirectoryMode") != ["0700"]:
        fail("bundles hold secrets: StateDirectoryMode must be 0700")
    if svc.get("KillSignal", ["SIGTERM"]) != ["SIGTERM"]:
        fail("the daemon finishes its bundle on SIGTERM: KillSignal must be SIGTERM")
    stop = duration_s(svc.get("TimeoutStopSec", ["90s"])[0])
    if stop < post + 10:
        fail(f"TimeoutStopSec {stop} s leaves no time to finish a bundle (--post {post} s)")
    if svc.get("Restart") != ["on-failure"]:
        fail("Restart=on-failure expected")
    if svc.get("User", ["root"]) != ["root"]:
        fail("the recorder needs root (eBPF, every process's /proc)")
    for a in argv[1:]:
        print(a)


def daemonset(path):
    docs = [d for d in yaml.safe_load_all(open(path, encoding="utf-8")) if d]
    kinds = {d.get("kind"): d for d in docs}
    ds = kinds.get("DaemonSet") or fail("no DaemonSet")
    if ds.get("apiVersion") != "apps/v1":
        fail(f"DaemonSet apiVersion {ds.get('apiVersion')}, expected apps/v1")
    ns = ds["metadata"].get("namespace")
    for d in docs:
        if d.get("kind") != "Namespace" and d["metadata"].get("namespace") != ns:
            fail(f"{d.get('kind')} {d['metadata'].get('name')} is not in namespace {ns}")
    if "Namespace" in kinds and kinds["Namespace"]["metadata"]["name"] != ns:
        fail("the Namespace object is not the DaemonSet's namespace")
    spec = ds["spec"]
    labels = spec["template"]["metadata"]["labels"]
    for k, v in spec["selector"]["matchLabels"].items():
        if labels.get(k) != v:
            fail(f"the selector {k}={v} does not match the pod template's labels")
    pod = spec["template"]["spec"]
    if pod.get("hostPID") is not True:
        fail("hostPID must be true: the recorder records the host's processes")
    cs = pod["containers"]
    if len(cs) != 1:
        fail("one container expected")
    c = cs[0]
    if (c.get("securityContext") or {}).get("privileged") is not True:
        fail("the container must be privileged (eBPF, perf events)")
    cmd = c.get("command", []) + c.get("args", [])
    for a in cmd:
        if not isinstance(a, str):
            fail(f"an argument is not a string but {type(a).__name__} {a!r} (quote it in YAML)")
    if not cmd or not cmd[0].endswith("/flightrec"):
        fail(f"the container does not run flightrec: {cmd[:1]}")
    out, post = check_capture_args(cmd[1:], "the container")
    grace = pod.get("terminationGracePeriodSeconds", 30)
    if grace < post + 10:
        fail(f"terminationGracePeriodSeconds {grace} leaves no time to finish a bundle (--post {post} s)")
    vols = {v["name"]: v for v in pod.get("volumes", [])}
    mounts = {m["mountPath"]: m for m in c.get("volumeMounts", [])}

    def host_mount(host_path, mount_path, read_only, vtype):
        m = mounts.get(mount_path) or fail(f"nothing is mounted at {mount_path}")
        v = vols.get(m["name"]) or fail(f"no volume {m['name']}")
        hp = v.get("hostPath") or fail(f"{mount_path} is not a hostPath volume")
        if hp.get("path") != host_path:
            fail(f"{mount_path} is the host's {hp.get('path')}, not {host_path}")
        if vtype and hp.get("type") != vtype:
            fail(f"the hostPath {host_path} should have type {vtype}")
        if bool(m.get("readOnly")) != read_only:
            fail(f"{mount_path} should be {'read-only' if read_only else 'writable'}")

    host_mount("/sys/kernel/btf", "/sys/kernel/btf", True, "Directory")
    host_mount("/sys/fs/cgroup", "/sys/fs/cgroup", True, "Directory")
    host_mount("/var/lib/flightrec", out, False, "DirectoryOrCreate")
    limit = ((c.get("resources") or {}).get("limits") or {}).get("memory")
    if not limit:
        fail("no memory limit: the ring is bounded, the pod should be too")
    webhook = option(cmd[1:], "--webhook")
    if webhook:
        port = int(webhook.rsplit(":", 1)[-1])
        token = option(cmd[1:], "--webhook-token")
        if not token:
            fail("a webhook reachable from the pod network needs --webhook-token")
        tdir = token.rsplit("/", 1)[0]
        m = mounts.get(tdir) or fail(f"the token directory {tdir} is not mounted")
        v = vols.get(m["name"], {})
        if "secret" not in v:
            fail("the webhook token must come from a Secret")
        if v["secret"].get("defaultMode", 0o644) & 0o077:
            fail("the token's Secret is mounted readable by others (defaultMode)")
        ports = {p.get("name"): p for p in c.get("ports", [])}
        cport = [p for p in ports.values() if p.get("containerPort") == port]
        if not cport:
            fail(f"the webhook port {port} is not a containerPort")
        svc = kinds.get("Service")
        if svc:
            for k, val in svc["spec"]["selector"].items():
                if labels.get(k) != val:
                    fail("the Service's selector does not select the DaemonSet's pods")
            tp = [p["targetPort"] for p in svc["spec"]["ports"]]
            if cport[0].get("name") not in tp and port not in tp:
                fail("the Service does not target the webhook port")
    for a in cmd[1:]:
        print(a)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("unit", "daemonset"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    {"unit": unit, "daemonset": daemonset}[sys.argv[1]](sys.argv[2])
