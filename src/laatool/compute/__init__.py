"""compute/: pure functions of a loaded workspace. It may import load/ and base/.

The indicator catalogue and its frame (`catalogue`), the targets frame (`targets`), the yearly
actuals (`actuals`), scoring (`scoring`) and the reward grant (`reward`, with its inputs in
`reward_inputs` and its exact frame arithmetic in `reward_frame`), and which way is better (`polarity`), the one home of
polarity for scoring, reward and the agreement checks. Whether a period is due (`collection`)
and what a returns template pre-fills (`template`). Each report keeps its frame
and gives `to_json()` and `to_rows()`; how it looks is render/'s business.
"""
