"""A small `kustomize build` for deploy/k8s, so deploy/test can validate
what an overlay really produces without a kustomize binary.

It implements the subset the manifests here use, with kustomize's meaning,
and refuses anything else (so a new field in a kustomization cannot be
silently ignored): `resources` (files, or directories with a
kustomization.yaml), `namespace`, `images`, `replicas`, and `patches`
(strategic merge patches identified by their own kind and name, or
JSON 6902 patches with a `target`). Transformers run in kustomize's order:
patches, namespace, images, replicas.

  python kustomize.py DIR          # the rendered objects as a YAML stream
"""

import copy
import os
import sys

import yaml

SUPPORTED = {"apiVersion", "kind", "resources", "namespace", "images", "replicas", "patches"}
CLUSTER_SCOPED = {
    "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
    "StorageClass", "IngressClass", "PriorityClass", "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
}
# Lists merged item by item in a strategic merge patch (the API's
# x-kubernetes-patch-merge-key); every other list is replaced.
MERGE_KEYS = {
    "containers": ["name"], "initContainers": ["name"], "env": ["name"], "volumes": ["name"],
    "volumeMounts": ["mountPath"], "imagePullSecrets": ["name"], "ports": ["containerPort", "port"],
}


class KustomizeError(Exception):
    pass


def load_yaml_stream(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def build(directory):
    path = os.path.join(directory, "kustomization.yaml")
    if not os.path.isfile(path):
        raise KustomizeError(f"{directory}: no kustomization.yaml")
    (k,) = load_yaml_stream(path)
    unknown = set(k) - SUPPORTED
    if unknown:
        raise KustomizeError(f"{path}: not supported here: {sorted(unknown)}")
    objects = []
    for entry in k.get("resources", []):
        target = os.path.normpath(os.path.join(directory, entry))
        objects.extend(build(target) if os.path.isdir(target) else load_yaml_stream(target))
    for patch in k.get("patches", []):
        apply_patch(directory, patch, objects)
    if "namespace" in k:
        for obj in objects:
            if obj["kind"] not in CLUSTER_SCOPED:
                obj.setdefault("metadata", {})["namespace"] = k["namespace"]
    for image in k.get("images", []):
        set_image(objects, image)
    for rep in k.get("replicas", []):
        hits = [o for o in objects if o["kind"] in ("Deployment", "StatefulSet") and o["metadata"]["name"] == rep["name"]]
        if not hits:
            raise KustomizeError(f"replicas: no workload named {rep['name']}")
        for o in hits:
            o["spec"]["replicas"] = rep["count"]
    return objects


def matches(obj, target):
    checks = {"kind": obj.get("kind"), "name": obj["metadata"].get("name"),
              "namespace": obj["metadata"].get("namespace")}
    for key in ("kind", "name", "namespace"):
        if key in target and target[key] != checks[key]:
            return False
    if "group" in target or "version" in target:
        group, _, version = obj["apiVersion"].rpartition("/")
        if target.get("group", group) != group or target.get("version", version) != version:
            return False
    unknown = set(target) - {"kind", "name", "namespace", "group", "version"}
    if unknown:
        raise KustomizeError(f"patch target: not supported here: {sorted(unknown)}")
    return True


def apply_patch(directory, entry, objects):
    unknown = set(entry) - {"path", "patch", "target"}
    if unknown:
        raise KustomizeError(f"patches: not supported here: {sorted(unknown)}")
    if "path" in entry:
        docs = load_yaml_stream(os.path.join(directory, entry["path"]))
    else:
        docs = [d for d in yaml.safe_load_all(entry["patch"]) if d is not None]
    if len(docs) == 1 and isinstance(docs[0], list):
        if "target" not in entry:
            raise KustomizeError(f"{entry}: a JSON 6902 patch needs a target")
        hits = [o for o in objects if matches(o, entry["target"])]
        if not hits:
            raise KustomizeError(f"patch target {entry['target']} matches nothing")
        for obj in hits:
            json6902(obj, docs[0])
        return
    for doc in docs:
        target = entry.get("target") or {"kind": doc["kind"], "name": doc["metadata"]["name"]}
        hits = [o for o in objects if matches(o, target)]
        if not hits:
            raise KustomizeError(f"patch {target} matches nothing")
        for obj in hits:
            merged = strategic_merge(obj, doc)
            obj.clear()
            obj.update(merged)


def strategic_merge(base, patch, field=None):
    if isinstance(patch, dict) and isinstance(base, dict):
        if any(k.startswith("$") for k in patch):
            raise KustomizeError(f"strategic merge directives are not supported here: {list(patch)}")
        out = copy.deepcopy(base)
        for key, value in patch.items():
            if value is None:
                out.pop(key, None)
            elif key in out:
                out[key] = strategic_merge(out[key], value, key)
            else:
                out[key] = copy.deepcopy(value)
        return out
    if isinstance(patch, list) and isinstance(base, list) and field in MERGE_KEYS:
        key = next((k for k in MERGE_KEYS[field] if all(isinstance(i, dict) and k in i for i in base + patch)), None)
        if key is None:
            return copy.deepcopy(patch)
        out = copy.deepcopy(base)
        for item in patch:
            same = [i for i, b in enumerate(out) if b[key] == item[key]]
            if same:
                out[same[0]] = strategic_merge(out[same[0]], item)
            else:
                out.append(copy.deepcopy(item))
        return out
    return copy.deepcopy(patch)


def pointer(path):
    if not path.startswith("/"):
        raise KustomizeError(f"JSON pointer {path!r} must start with /")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def json6902(obj, ops):
    for op in ops:
        *parents, last = pointer(op["path"])
        node = obj
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        kind = op["op"]
        if kind not in ("add", "replace", "remove"):
            raise KustomizeError(f"JSON patch op {kind!r} is not supported here")
        if isinstance(node, list):
            index = len(node) if last == "-" else int(last)
            if kind == "add":
                node.insert(index, copy.deepcopy(op["value"]))
            elif kind == "replace":
                node[index] = copy.deepcopy(op["value"])
            else:
                del node[index]
        else:
            if kind in ("replace", "remove") and last not in node:
                raise KustomizeError(f"JSON patch {kind} {op['path']}: no such field")
            if kind == "remove":
                del node[last]
            else:
                node[last] = copy.deepcopy(op["value"])


def set_image(objects, image):
    unknown = set(image) - {"name", "newName", "newTag", "digest"}
    if unknown:
        raise KustomizeError(f"images: not supported here: {sorted(unknown)}")

    def split(ref):
        if "@" in ref:
            return ref.split("@", 1)[0], None
        name, _, tag = ref.rpartition(":")
        return (name, tag) if name and "/" not in tag else (ref, None)

    for obj in objects:
        spec = obj.get("spec", {})
        pod = spec.get("template", {}).get("spec") if "template" in spec else None
        if obj.get("kind") == "CronJob":
            pod = spec["jobTemplate"]["spec"]["template"]["spec"]
        if not pod:
            continue
        for c in pod.get("containers", []) + pod.get("initContainers", []):
            name, tag = split(c["image"])
            if name != image["name"]:
                continue
            new = image.get("newName", name)
            if "digest" in image:
                c["image"] = f"{new}@{image['digest']}"
            elif "newTag" in image:
                c["image"] = f"{new}:{image['newTag']}"
            else:
                c["image"] = f"{new}:{tag}" if tag else new


if __name__ == "__main__":
    try:
        print(yaml.safe_dump_all(build(sys.argv[1]), sort_keys=False), end="")
    except (KustomizeError, KeyError, OSError, yaml.YAMLError) as e:
        print(f"kustomize.py: {e}", file=sys.stderr)
        sys.exit(1)
