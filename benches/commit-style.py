#!/usr/bin/env python3
"""How often commit subjects follow a repository's conventions: the measurement behind
docs/learn.md's "before and after" table.

    commit-style.py CASES.json WRITTEN.jsonl [WRITTEN2.jsonl ...]

CASES.json is what `pai commit-eval export` wrote (each case carries the author's message and
the 20 subjects before it); each WRITTEN.jsonl is what `pai commit-eval run` wrote for them
with one model. For each file it prints, over the cases:

- form as the author: the subject has an `area:` prefix exactly when the author's has one, and
  its first word has the author's case;
- form as the history: the same, against the majority of the 20 subjects before it (the rule
  tests/it/commit_eval.rs applies);
- at most 72 characters, and the median length against the authors' median;
- the same area as the author's, among cases whose author wrote one.

The rules are the ones in tests/it/commit_eval.rs, written again here so that the figures can
be taken on any repository without the test fixtures.
"""
import json
import re
import statistics
import sys

AREA = re.compile(r"^[A-Za-z0-9_./,+-]+(\([^)]*\))?!?: \S")


def area_of(subject):
    return subject.split(": ", 1)[0] if AREA.match(subject) else None


def description(subject):
    area = area_of(subject)
    return subject[len(area) + 2 :] if area else subject


def capitalised(subject):
    text = description(subject)
    if not text or not text[0].isalpha():
        return None
    return text[0].isupper()


def same_form(subject, model):
    case = capitalised(model)
    return (area_of(subject) is None) == (area_of(model) is None) and (
        case is None or capitalised(subject) in (None, case)
    )


def history_form(subject, history):
    def majority(yes, no):
        return None if yes == no else yes > no

    with_area = sum(1 for s in history if area_of(s))
    area = majority(with_area, len(history) - with_area)
    cases = [c for c in (capitalised(s) for s in history) if c is not None]
    upper = sum(cases)
    case = majority(upper, len(cases) - upper)
    ok_area = area is None or area == (area_of(subject) is not None)
    mine = capitalised(subject)
    ok_case = case is None or mine is None or mine == case
    return ok_area and ok_case


def main():
    cases = {c["sha"]: c for c in json.load(open(sys.argv[1]))}
    authors = [c["message"].splitlines()[0] for c in cases.values()]
    print(f"{len(cases)} cases; authors' median subject {statistics.median(map(len, authors))} characters")
    for path in sys.argv[2:]:
        written = [json.loads(line) for line in open(path) if line.strip()]
        rows = []
        for w in written:
            case = cases[w["sha"]]
            subject = w["message"].splitlines()[0] if w["message"] else ""
            author = case["message"].splitlines()[0]
            rows.append(
                (
                    same_form(subject, author),
                    history_form(subject, case["subjects"]),
                    len(subject) <= 72,
                    len(subject),
                    area_of(author) is not None,
                    area_of(author) is not None and area_of(subject) == area_of(author),
                )
            )
        n = len(rows)
        with_area = sum(r[4] for r in rows)
        print(
            f"{path}: form as the author {sum(r[0] for r in rows)}/{n}, "
            f"as the history {sum(r[1] for r in rows)}/{n}, "
            f"<= 72 characters {sum(r[2] for r in rows)}/{n}, "
            f"median {statistics.median(r[3] for r in rows)} characters, "
            f"the author's area {sum(r[5] for r in rows)}/{with_area}"
        )


if __name__ == "__main__":
    main()
