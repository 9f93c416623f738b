# Convenience targets; the README's two commands need no make.
PY := .venv/bin/python

.PHONY: demo test scores eval-errors bench

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

# Rewrite the README's accuracy table from `readout eval --split test --format md`.
scores:
	$(PY) scripts/update_scores.py

# Every disagreement on the dev split (tune here, never on test).
eval-errors:
	.venv/bin/readout eval --split dev --errors

bench:
	$(PY) bench/parse_speed.py
	$(PY) bench/memory_jsonl.py
