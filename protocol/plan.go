package protocol

// Plan is the show against its planned clock times (issue #18), all times
// Unix ms. The current segment's projected end at an instant t is
// max(t+leftMs, endAt); the drift is that minus plannedEnd (positive when
// late), which a screen brings up to date on its own synced clock
// (static/js/plan.js):
//
//	{"at":1764721800000,"starts":[…],"projected":[…],"current":1,"startedAt":1764721800000,"plannedEnd":1764722700000,"endAt":1764722880000,"leftMs":0,"driftMs":180000}
type Plan struct {
	At int64 `json:"at"` // when driftMs and projected were computed
	// Starts is every segment's planned start.
	Starts []int64 `json:"starts"`
	// Projected is every segment's start: actual for those that started
	// (0 for a skipped one), projected for the rest.
	Projected  []int64 `json:"projected"`
	Current    int     `json:"current"`
	StartedAt  int64   `json:"startedAt"` // 0 when the current segment has not started
	PlannedEnd int64   `json:"plannedEnd"`
	EndAt      int64   `json:"endAt"`
	LeftMs     int64   `json:"leftMs"`
	DriftMs    int64   `json:"driftMs"`
}
