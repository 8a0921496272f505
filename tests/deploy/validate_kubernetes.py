#!/usr/bin/env python3
"""Checks deploy/kubernetes offline: the Kubernetes API schema, and how the manifests fit together.

1. Schema: every object of every manifest against the OpenAPI-derived JSON schemas of each Kubernetes version in
   --kubernetes-versions, strict (an unknown field is an error, as `kubectl apply --validate=strict` would say), with
   kubernetes-validate (PyPI, pinned in tests/deploy/requirements.txt; it bundles the schemas, so no cluster and no
   download is needed).
2. What a schema cannot see: the Service, PodDisruptionBudget and pod spreading select the Deployment's pods; the
   autoscaler targets the Deployment; referenced ConfigMaps, volumes and named ports exist; the kustomization lists
   every manifest; the pods run non-root on a read-only root with every capability dropped, no privilege escalation
   and the RuntimeDefault seccomp profile; every container has CPU and memory requests and limits; the CPU request
   covers inference threads x intra-op threads; the grace period outlasts preStop + draining; with --fastintent,
   every FASTINTENT_* variable of the ConfigMap is one that `fastintent serve --help` lists.
3. With --self-test, the same checks on deliberately broken copies (one break each: a wrong type, a misspelt field,
   a missing required field, a field of another API version, a Service selecting nothing, a grace period shorter
   than the drain, a root container, an unknown variable): each must be rejected, else the checker is blind.
"""
import argparse
import copy
import glob
import os
import re
import subprocess
import sys
import tempfile

import yaml

try:
    import kubernetes_validate
except ImportError:
    sys.exit("validate_kubernetes.py: kubernetes-validate is missing: "
             ".venv/bin/pip install -r tests/deploy/requirements.txt (scripts/setup.sh does it)")


def load(directory):
    """{file name: [objects]} for every manifest, and the kustomization (None when absent)."""
    manifests, kustomization = {}, None
    for path in sorted(glob.glob(os.path.join(directory, "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            documents = [d for d in yaml.safe_load_all(f) if d is not None]
        if os.path.basename(path) == "kustomization.yaml":
            kustomization = documents[0]
        else:
            manifests[os.path.basename(path)] = documents
    return manifests, kustomization


def schema_errors(manifests, versions):
    errors = []
    for name, documents in manifests.items():
        for obj in documents:
            what = f"{name}: {obj.get('kind')}/{obj.get('metadata', {}).get('name')}"
            for version in versions:
                try:
                    kubernetes_validate.validate(obj, version, strict=True)
                except kubernetes_validate.ValidationError as e:
                    path = ".".join(str(p) for p in e.path) or "(top)"
                    errors.append(f"{what}: Kubernetes {version} schema: at {path}: {e.message}")
                except (kubernetes_validate.SchemaNotFoundError, kubernetes_validate.utils.SchemaNotFoundError) as e:
                    errors.append(f"{what}: {e.message}")
    return errors


def seconds(value):
    """A duration of the server's --drain-delay and --shutdown-timeout: seconds, decimals allowed ('5', '0.5')."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*", str(value))
    if not match:
        raise ValueError(f"not a number of seconds: {value!r}")
    return float(match.group(1))


def cpu_cores(quantity):
    text = str(quantity)
    return float(text[:-1]) / 1000 if text.endswith("m") else float(text)


def selects(selector, labels):
    match = (selector or {}).get("matchLabels") or {}
    return bool(match) and all(labels.get(k) == v for k, v in match.items())


def consistency_errors(manifests, kustomization, serve_variables):
    errors = []
    objects = [obj for documents in manifests.values() for obj in documents]
    by_kind = {}
    for obj in objects:
        by_kind.setdefault(obj.get("kind"), []).append(obj)
    if kustomization is not None:
        listed = set(kustomization.get("resources") or [])
        if listed != set(manifests):
            errors.append(f"kustomization.yaml lists {sorted(listed)}, the directory has {sorted(manifests)}")
    deployments = by_kind.get("Deployment", [])
    if len(deployments) != 1:
        return errors + [f"expected one Deployment, found {len(deployments)}"]
    deployment = deployments[0]
    name = deployment["metadata"]["name"]
    pod = deployment["spec"]["template"]
    labels = pod["metadata"].get("labels") or {}
    spec = pod["spec"]
    if not selects(deployment["spec"].get("selector"), labels):
        errors.append("Deployment: its selector does not match its pod template's labels")
    for service in by_kind.get("Service", []):
        selector = service["spec"].get("selector") or {}
        if not selector or any(labels.get(k) != v for k, v in selector.items()):
            errors.append(f"Service {service['metadata']['name']}: selector {selector} matches no pod of {name}")
    for pdb in by_kind.get("PodDisruptionBudget", []):
        if not selects(pdb["spec"].get("selector"), labels):
            errors.append(f"PodDisruptionBudget {pdb['metadata']['name']}: selects no pod of {name}")
    hpas = by_kind.get("HorizontalPodAutoscaler", [])
    for hpa in hpas:
        target = hpa["spec"]["scaleTargetRef"]
        if (target.get("kind"), target.get("name")) != ("Deployment", name):
            errors.append(f"HorizontalPodAutoscaler {hpa['metadata']['name']}: targets {target}, not Deployment {name}")
    if hpas and "replicas" in deployment["spec"]:
        errors.append("Deployment: sets replicas although an autoscaler owns the count (each apply would reset it)")
    for constraint in spec.get("topologySpreadConstraints") or []:
        if not selects(constraint.get("labelSelector"), labels):
            errors.append("Deployment: a topologySpreadConstraint selects none of its pods")

    config_maps = {c["metadata"]["name"]: c.get("data") or {} for c in by_kind.get("ConfigMap", [])}
    volumes = {v["name"] for v in spec.get("volumes") or []}
    pod_security = spec.get("securityContext") or {}
    if (pod_security.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
        errors.append("Deployment: pod securityContext.seccompProfile.type is not RuntimeDefault")
    if spec.get("automountServiceAccountToken") is not False:
        errors.append("Deployment: automountServiceAccountToken is not false (the server never calls the API)")
    env = {}
    containers = spec.get("initContainers", []) + spec.get("containers", [])
    for container in containers:
        where = f"container {container['name']}"
        security = {**pod_security, **(container.get("securityContext") or {})}
        if security.get("runAsNonRoot") is not True or security.get("runAsUser", 0) == 0:
            errors.append(f"{where}: not forced to run as a non-root user")
        if security.get("readOnlyRootFilesystem") is not True:
            errors.append(f"{where}: root filesystem is not read-only")
        if security.get("allowPrivilegeEscalation") is not False:
            errors.append(f"{where}: allowPrivilegeEscalation is not false")
        if "ALL" not in ((security.get("capabilities") or {}).get("drop") or []):
            errors.append(f"{where}: capabilities are not all dropped")
        resources = container.get("resources") or {}
        for kind in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if resource not in (resources.get(kind) or {}):
                    errors.append(f"{where}: no {resource} in resources.{kind}")
        for mount in container.get("volumeMounts") or []:
            if mount["name"] not in volumes:
                errors.append(f"{where}: mounts volume {mount['name']}, which the pod does not define")
        for source in container.get("envFrom") or []:
            ref = (source.get("configMapRef") or {}).get("name")
            if ref is not None:
                if ref not in config_maps:
                    errors.append(f"{where}: envFrom ConfigMap {ref}, which no manifest defines")
                elif container in spec.get("containers", []):
                    env.update(config_maps[ref])
        ports = {p.get("name") for p in container.get("ports") or []}
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            port = ((container.get(probe) or {}).get("httpGet") or {}).get("port")
            if isinstance(port, str) and port not in ports:
                errors.append(f"{where}: {probe} uses port name {port}, which the container does not declare")

    main = spec["containers"][0]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        if probe not in main:
            errors.append(f"container {main['name']}: no {probe}")
    threads = int(env.get("FASTINTENT_INFERENCE_THREADS", 2)) * int(env.get("FASTINTENT_INTRA_OP_THREADS", 1))
    cpu = cpu_cores(((main.get("resources") or {}).get("requests") or {}).get("cpu", 0))
    if cpu < threads:
        errors.append(f"container {main['name']}: requests {cpu} CPUs for {threads} inference x intra-op threads")
    pre_stop = ((main.get("lifecycle") or {}).get("preStop") or {}).get("exec", {}).get("command") or []
    pause = next((int(a) for a in reversed(pre_stop) if str(a).isdigit()), 0)
    # The server exits within --shutdown-timeout of SIGTERM (its drain delay included), whatever the clients do;
    # its default is 30 s.
    drain = seconds(env.get("FASTINTENT_SHUTDOWN_TIMEOUT", "30"))
    if seconds(env.get("FASTINTENT_DRAIN_DELAY", "3")) >= drain:
        errors.append(f"ConfigMap: FASTINTENT_DRAIN_DELAY is not below FASTINTENT_SHUTDOWN_TIMEOUT ({drain:g} s)")
    grace = spec.get("terminationGracePeriodSeconds", 30)
    if grace <= pause + drain:
        errors.append(f"Deployment: terminationGracePeriodSeconds {grace} is not above preStop {pause} s + "
                      f"drain {drain:g} s: Kubernetes would SIGKILL a draining pod")
    if serve_variables is not None:
        for key in sorted(env):
            if key.startswith("FASTINTENT_") and key not in serve_variables:
                errors.append(f"ConfigMap: {key} is not a variable of `fastintent serve` (see its --help)")
    return errors


def check(manifests, kustomization, versions, serve_variables):
    return schema_errors(manifests, versions) + consistency_errors(manifests, kustomization, serve_variables)


def broken_copies(manifests):
    """(what, manifests) pairs, each with one deliberate break."""
    def find(m, kind):
        return next(o for documents in m.values() for o in documents if o["kind"] == kind)

    def container(m):
        return find(m, "Deployment")["spec"]["template"]["spec"]["containers"][0]

    breaks = [
        ("replicas as a string", lambda m: find(m, "Deployment")["spec"].update(replicas="two")),
        ("maxUnavailable as a list", lambda m: find(m, "PodDisruptionBudget")["spec"].update(maxUnavailable=[1])),
        ("misspelt field securityContex", lambda m: container(m).update(securityContex=container(m)["securityContext"])),
        ("Deployment without its required selector", lambda m: find(m, "Deployment")["spec"].pop("selector")),
        ("autoscaling/v1 field in an autoscaling/v2 HPA",
         lambda m: find(m, "HorizontalPodAutoscaler")["spec"].update(targetCPUUtilizationPercentage=70)),
        ("probe port as a list", lambda m: container(m)["livenessProbe"]["httpGet"].update(port=["http"])),
        ("Service selecting no pod", lambda m: find(m, "Service")["spec"]["selector"].update({"app.kubernetes.io/name": "other"})),
        ("grace period shorter than preStop + drain",
         lambda m: find(m, "Deployment")["spec"]["template"]["spec"].update(terminationGracePeriodSeconds=20)),
        ("container allowed to run as root", lambda m: container(m)["securityContext"].update(runAsNonRoot=False)),
        ("writable root filesystem", lambda m: container(m)["securityContext"].update(readOnlyRootFilesystem=False)),
        ("unknown server variable", lambda m: find(m, "ConfigMap")["data"].update(FASTINTENT_MAX_BATCH_TOKNES="4096")),
    ]
    for what, apply in breaks:
        broken = copy.deepcopy(manifests)
        apply(broken)
        yield what, broken


def serve_variables_of(fastintent):
    out = subprocess.run([fastintent, "serve", "--help"], capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"Env:(FASTINTENT_[A-Z0-9_]+)", out))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", help="deploy/kubernetes")
    parser.add_argument("--kubernetes-versions", default="1.30.0,1.37.0",
                        help="comma-separated Kubernetes versions to validate against (default %(default)s)")
    parser.add_argument("--fastintent", help="the binary, to check the ConfigMap's variables against its --help")
    parser.add_argument("--self-test", action="store_true", help="also check that broken copies are rejected")
    args = parser.parse_args()
    versions = args.kubernetes_versions.split(",")
    manifests, kustomization = load(args.directory)
    if not manifests:
        sys.exit(f"no manifests in {args.directory}")
    serve_variables = serve_variables_of(args.fastintent) if args.fastintent else None
    if serve_variables is not None and not serve_variables:
        sys.exit(f"{args.fastintent} serve --help lists no FASTINTENT_* variable")

    print(f"kubernetes-validate {kubernetes_validate.__version__}, Kubernetes {', '.join(versions)}, strict; "
          f"{sum(len(d) for d in manifests.values())} objects in {', '.join(manifests)}")
    errors = check(manifests, kustomization, versions, serve_variables)
    for error in errors:
        print("ERROR:", error)
    status = 1 if errors else 0
    print("manifests:", "INVALID" if errors else "valid")

    if args.self_test:
        # Without the binary, the variables the ConfigMap has now stand for the server's.
        known = serve_variables if serve_variables is not None else {
            k for d in manifests.values() for o in d if o["kind"] == "ConfigMap" for k in o.get("data") or {}}
        with tempfile.TemporaryDirectory() as scratch:
            for n, (what, broken) in enumerate(broken_copies(manifests)):
                # Written out and read back like the real directory, so the files' path is what is checked.
                directory = os.path.join(scratch, str(n))
                os.makedirs(directory)
                for name, documents in {**broken, "kustomization.yaml": [kustomization]}.items():
                    if documents != [None]:
                        with open(os.path.join(directory, name), "w", encoding="utf-8") as f:
                            yaml.safe_dump_all(documents, f, allow_unicode=True, sort_keys=False)
                found = check(*load(directory), versions, known)
                if found:
                    print(f"broken copy rejected ({what}): {found[0]}")
                else:
                    print(f"FAIL: broken copy accepted ({what})")
                    status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
