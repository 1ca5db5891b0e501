"""Steal a few batches of representations from a StealBench API server (requests + numpy).

    python3 examples/steal_over_http.py http://127.0.0.1:8080 KEY

Sends random images here; a real attacker sends its own dataset. Each image is one query.
"""
import struct
import sys

import numpy as np
import requests

url, key = sys.argv[1], sys.argv[2]
auth = {"Authorization": "Bearer " + key}
info = requests.get(url + "/v1/info").json()
c, h, w = info["inputShape"]


def encode(x):
    """The API's tensor format: int32 rank, int32 dims, float32 values, all little-endian."""
    x = np.ascontiguousarray(x, dtype="<f4")
    return struct.pack("<i", x.ndim) + struct.pack("<%di" % x.ndim, *x.shape) + x.tobytes()


def decode(body):
    rank = struct.unpack_from("<i", body)[0]
    shape = struct.unpack_from("<%di" % rank, body, 4)
    return np.frombuffer(body, dtype="<f4", offset=4 + 4 * rank).reshape(shape)


rng = np.random.default_rng(0)
stolen = []
for batch in range(3):
    images = rng.random((32, c, h, w), dtype=np.float32)  # values in [0, 1]
    r = requests.post(url + "/v1/represent", data=encode(images),
                      headers={**auth, "Content-Type": "application/x-float32", "Accept": "application/x-float32"})
    if r.status_code == 429 and "Retry-After" in r.headers:
        print("rate limited; retry in", r.headers["Retry-After"], "s")
        break
    r.raise_for_status()
    reps = decode(r.content)
    stolen.append(reps)
    print("batch", batch, "->", reps.shape, "queries left:", r.headers["X-Queries-Remaining"])
print("stole", sum(len(s) for s in stolen), "representations;", requests.get(url + "/v1/account", headers=auth).json()["client"])
