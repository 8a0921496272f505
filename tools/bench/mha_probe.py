#!/usr/bin/env python3
"""Research probe (issue 16's engine plan): would ONNX Runtime's own fused attention beat the float attention core
that ORT builds from our plain export? Replaces each layer's core (Reshape/Transpose x3, QK^T, scale, mask, softmax,
xV, Transpose, Reshape; the pattern src/export/plain_encoder.cpp writes) of MODEL.onnx (fp32 or our INT8 file) with
com.microsoft MultiHeadAttention fed by the same three projections, checks the logits on padded inputs, and times
both graphs in 7 interleaved rounds on 1 thread at batch 1 and 32 x 64 tokens. Writes the rewritten graph to
/tmp/mha_probe.onnx. Runs in var/peers/ort (onnxruntime 1.30.0, the engine's release).

Usage: mha_probe.py MODEL.onnx NUM_HEADS"""
import sys, time, statistics
import numpy as np, onnx, onnxruntime as ort
from onnx import helper

path, heads = sys.argv[1], int(sys.argv[2])
m = onnx.load(path)
g = m.graph
producer = {o: n for n in g.node for o in n.output}
consumers = {}
for n in g.node:
    for i in n.input:
        consumers.setdefault(i, []).append(n)
remove, new = set(), []
for sm in [n for n in g.node if n.op_type == "Softmax"]:
    add = producer[sm.input[0]]; div = producer[add.input[0]]; qk = producer[div.input[0]]
    tq, tk = producer[qk.input[0]], producer[qk.input[1]]
    rq, rk = producer[tq.input[0]], producer[tk.input[0]]
    ctx = consumers[sm.output[0]][0]
    tv = producer[ctx.input[1]]; rv = producer[tv.input[0]]
    tc = consumers[ctx.output[0]][0]; rc = consumers[tc.output[0]][0]
    for n in (add, div, qk, tq, tk, rq, rk, sm, ctx, tv, rv, tc, rc):
        remove.add(id(n))
    new.append(helper.make_node("MultiHeadAttention", [rq.input[0], rk.input[0], rv.input[0], "", "mask_i32"],
                                [rc.output[0]], name=rc.name + ".mha", domain="com.microsoft", num_heads=heads))
nodes = [n for n in g.node if id(n) not in remove]
# insert MHA nodes right after their producers: simplest, append and topologically sort
cast = helper.make_node("Cast", ["attention_mask"], ["mask_i32"], to=onnx.TensorProto.INT32, name="mask_i32")
all_nodes = [cast] + nodes + new
order, ready, pending = [], {i.name for i in g.input} | {i.name for i in g.initializer} | {""}, list(all_nodes)
while pending:
    rest = []
    for n in pending:
        if all(i in ready for i in n.input):
            order.append(n); ready.update(n.output)
        else:
            rest.append(n)
    if len(rest) == len(pending):
        raise SystemExit("cycle or missing input")
    pending = rest
del g.node[:]
g.node.extend(order)
if not any(o.domain == "com.microsoft" for o in m.opset_import):
    m.opset_import.append(helper.make_opsetid("com.microsoft", 1))
out = "/tmp/mha_probe.onnx"
onnx.save(m, out)
print(f"replaced {len(new)} attention cores")

def session(p):
    o = ort.SessionOptions(); o.intra_op_num_threads = 1; o.inter_op_num_threads = 1
    o.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(p, o, providers=["CPUExecutionProvider"])
a, b = session(path), session(out)
names = [i.name for i in a.get_inputs()]
rng = np.random.default_rng(0)
def feed(batch, length, pad):
    ids = rng.integers(5, 1000, size=(batch, length), dtype=np.int64)
    mask = np.ones((batch, length), dtype=np.int64)
    if pad:
        for r in range(batch):
            mask[r, rng.integers(length // 2, length + 1):] = 0
    arrays = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    return {n: arrays[n] for n in names}
f = feed(8, 32, True)
diff = np.abs(a.run(None, f)[0] - b.run(None, f)[0]).max()
print(f"max |logit difference| with padding: {diff:.2e}")
for batch in (1, 32):
    f = feed(batch, 64, False)
    for s in (a, b):
        for _ in range(3): s.run(None, f)
    times = {0: [], 1: []}
    calls = 20 if batch == 1 else 4
    for rnd in range(7):
        for k, s in ((0, a), (1, b)) if rnd % 2 == 0 else ((1, b), (0, a)):
            t = time.perf_counter()
            for _ in range(calls): s.run(None, f)
            times[k].append((time.perf_counter() - t) / calls * 1e3)
    ma, mb = statistics.median(times[0]), statistics.median(times[1])
    print(f"batch {batch} x 64: plain {ma:.3f} ms, MHA {mb:.3f} ms, MHA/plain {mb / ma:.3f} (per round {min(y / x for x, y in zip(times[0], times[1])):.3f}-{max(y / x for x, y in zip(times[0], times[1])):.3f})")
