"""Cross-checks the golden MDS datasets in this folder against mosaicml-streaming itself.

    pip install mosaicml-streaming numpy
    python test-fixtures/mds/check_with_streaming.py

1. Writes the golden samples with streaming's MDSWriter (the columns ProLong's data uses) and
   requires every file to equal the committed golden bytes.
2. Opens the committed golden datasets with streaming's LocalDataset and requires the decoded
   samples to equal the golden samples.
Prints "ok" and exits 0 when both hold.
"""
import os
import sys
import tempfile

import numpy as np
from streaming import LocalDataset, MDSWriter

HERE = os.path.dirname(os.path.abspath(__file__))
COLUMNS = {"input_ids": "ndarray:uint32", "indices": "ndarray:uint32", "length": "int", "domain": "str"}
DATASETS = {"default-limit": 1 << 26, "small-limit": 1024}


def scrambled(count):
    return [(i * 2654435761) % (1 << 32) for i in range(count)]


GOLDEN_SAMPLES = [
    dict(domain="FICTION", input_ids=[128000, 791, 4062, 14198, 128001, 128000, 9906, 128001],
         indices=[[0, 5], [5, 8]], length=8),
    dict(domain="CRAFTS & HOBBIES / \u00c9tudes", input_ids=[42], indices=[[0, 1]], length=1),
    dict(domain="SCIENCE", input_ids=scrambled(599) + [4294967295],
         indices=[[2 * i, 2 * i + 2] for i in range(300)], length=600),
    dict(domain="HISTORY", input_ids=[128000, 12, 13, 14, 15, 16, 128001], indices=[[0, 7]], length=7),
]


def as_row(sample):
    return {
        "input_ids": np.array(sample["input_ids"], dtype=np.uint32),
        "indices": np.array(sample["indices"], dtype=np.uint32),
        "length": sample["length"],
        "domain": sample["domain"],
    }


def check_writer(name, size_limit, problems):
    with tempfile.TemporaryDirectory() as out:
        with MDSWriter(out=out, columns=COLUMNS, hashes=["sha256"], size_limit=size_limit) as writer:
            for sample in GOLDEN_SAMPLES:
                writer.write(as_row(sample))
        golden = os.path.join(HERE, name)
        written = sorted(os.listdir(out))
        expected = sorted(f for f in os.listdir(golden) if f == "index.json" or f.endswith(".mds"))
        if written != expected:
            problems.append(f"{name}: MDSWriter wrote {written}, golden has {expected}")
            return
        for file in written:
            with open(os.path.join(out, file), "rb") as a, open(os.path.join(golden, file), "rb") as b:
                if a.read() != b.read():
                    problems.append(f"{name}/{file}: MDSWriter bytes differ from the golden file")


def check_reader(name, problems):
    dataset = LocalDataset(local=os.path.join(HERE, name))
    if len(dataset) != len(GOLDEN_SAMPLES):
        problems.append(f"{name}: {len(dataset)} samples, expected {len(GOLDEN_SAMPLES)}")
        return
    for index, sample in enumerate(GOLDEN_SAMPLES):
        row = dataset[index]
        expected = as_row(sample)
        same = (
            row["domain"] == expected["domain"]
            and row["length"] == expected["length"]
            and row["input_ids"].dtype == np.uint32
            and np.array_equal(row["input_ids"], expected["input_ids"])
            and row["indices"].shape == (len(sample["indices"]), 2)
            and np.array_equal(row["indices"], expected["indices"])
        )
        if not same:
            problems.append(f"{name}: sample {index} decodes to {row!r}")


def main():
    problems = []
    for name, size_limit in DATASETS.items():
        check_writer(name, size_limit, problems)
        check_reader(name, problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
