# Convenience targets; the README's two commands need no make.
PY := .venv/bin/python

.PHONY: demo test scores eval-errors bench screenshots

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

# Screenshots of the main pages (build/screenshots/) by the browser tests, which need
# Debian's chromium; the meeting page's becomes the README's docs/img/meeting.png.
screenshots:
	rm -rf build/screenshots
	CI=true $(PY) -m pytest tests/test_web_browser.py -q
	mkdir -p docs/img
	cp build/screenshots/meeting.png docs/img/meeting.png
