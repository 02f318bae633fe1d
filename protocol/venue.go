package protocol

// Venue is a district hall (điểm cầu) as the province's operators see it,
// in the devices message (issue #15): its link, its clock, its screens and
// how its screens started the last moment.
//
//	{"id":"k0a1b2c3d4e","name":"Huyện Bù Đăng","linked":true,"addr":"10.8.0.7:51234","rttMs":84.2,"offsetMs":-12.5,"errorMs":3.1,"synced":true,"screens":4,"lastContact":1744600000000,"delayMs":1500,"seq":57}
type Venue struct {
	// ID is the hall's credential; Name the hall's name as the province
	// created it.
	ID   string `json:"id"`
	Name string `json:"name"`
	// Linked: the hall was heard from within the last 3 s.
	Linked bool `json:"linked"`
	// Addr is where the hall's leaf link comes from, while it is up.
	Addr string `json:"addr,omitempty"`
	// RTTMs is the round trip of the hall's last clock exchange.
	RTTMs float64 `json:"rttMs,omitempty"`
	// OffsetMs is how far the province's clock is ahead of the hall's;
	// ErrorMs bounds the hall's estimate of it; Synced says the hall has
	// an estimate at all.
	OffsetMs float64 `json:"offsetMs"`
	ErrorMs  float64 `json:"errorMs"`
	Synced   bool    `json:"synced"`
	// Screens counts the hall's stage and presenter screens.
	Screens int `json:"screens"`
	// LastContact is when the province last heard from the hall, Unix ms;
	// 0 never.
	LastContact int64 `json:"lastContact,omitempty"`
	// DelayMs is what the hall's screens add to the moment's instant, to
	// match the video feed the hall shows.
	DelayMs int64 `json:"delayMs"`
	// LateMs, when above 0, is how late the hall would start the moment:
	// the state reaches it (half its round trip) after the show's lead
	// plus its delay has passed.
	LateMs float64 `json:"lateMs,omitempty"`
	// Seq is the province's sequence the hall shows.
	Seq uint64 `json:"seq"`
	// Fire is how the hall's screens started the last moment, against the
	// hall's instant (fireAt + delay); absent before any fire.
	Fire *FireSummary `json:"fire,omitempty"`
}

// Hall is a district hall's server's link to the province, as the hall's
// own operators see it (never the audience), in the devices message.
//
//	{"name":"Huyện Bù Đăng","province":["10.0.0.5:7422"],"linked":true,"lastContact":1744600000000,"rttMs":84.2,"offsetMs":-12.5,"errorMs":3.1,"synced":true,"delayMs":1500,"seq":57,"epoch":0}
type Hall struct {
	// Name is the hall's name, as the province created it once linked.
	Name string `json:"name"`
	// Province lists the leaf listeners the hall dials (the province
	// server and its standby).
	Province []string `json:"province"`
	// Linked: the province answered within the last 3 s.
	Linked bool `json:"linked"`
	// LastContact is when the province last answered, Unix ms (province
	// time); 0 never.
	LastContact int64 `json:"lastContact,omitempty"`
	// RTTMs, OffsetMs, ErrorMs and Synced are the hall's clock estimate
	// of the province's (see Venue).
	RTTMs    float64 `json:"rttMs,omitempty"`
	OffsetMs float64 `json:"offsetMs"`
	ErrorMs  float64 `json:"errorMs"`
	Synced   bool    `json:"synced"`
	// DelayMs is the delay the province set for this hall.
	DelayMs int64 `json:"delayMs"`
	// Seq and Epoch are the province's state the hall shows.
	Seq   uint64 `json:"seq"`
	Epoch uint64 `json:"epoch"`
}
