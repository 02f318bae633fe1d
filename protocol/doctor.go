package protocol

// Doctor is the server's preflight report (issue #17), GET
// /api/v1/doctor, for operators: what the server knows of itself and of
// every device, for `phatdong doctor` to judge:
//
//	{"serverTime":1744600000000,"role":"primary","rehearsal":true,"addresses":["http://10.0.0.2:8080"],"db":{…},"disk":{…},"devices":[…],"missing":["button"],"buttons":[…]}
type Doctor struct {
	ServerTime int64 `json:"serverTime"` // Unix ms
	DoctorHost
	Rehearsal bool `json:"rehearsal"`
	// Devices are the connected devices, with their clock figures and
	// frame rates as they last reported (the operators' device list).
	Devices []Device     `json:"devices"`
	Counts  map[Role]int `json:"counts"`
	// Missing are the roles a show needs that no device holds: a stage
	// screen and a button.
	Missing []Role `json:"missing"`
	// Buttons are the button agents' links.
	Buttons []ButtonLink `json:"buttons"`
	// Checks are the server's own judgement of the above (display/preflight),
	// in Vietnamese: what the MC's devices tab shows. `phatdong doctor`
	// judges again with the addresses it could reach.
	Checks []Check `json:"checks"`
}

// Check is one line of the preflight checklist: whether it passed, what
// was found, and what to do when it did not pass:
//
//	{"ok":false,"text":"Chưa có nút bấm nào kết nối","fix":"bật Raspberry Pi của nút, …"}
type Check struct {
	OK   bool   `json:"ok"`
	Text string `json:"text"`
	Fix  string `json:"fix,omitempty"`
}

// DoctorHost is what the server's machine tells of itself.
type DoctorHost struct {
	Version string `json:"version"`
	// Role is "primary", "standby" or "hall".
	Role string `json:"role"`
	// Addresses are the base URLs devices reach the server at, the LAN's
	// first; MDNSName its URL by name, "" when not advertised.
	Addresses []string `json:"addresses"`
	MDNSName  string   `json:"mdnsName,omitempty"`
	DB        DiskFile `json:"db"`
	Disk      DiskFree `json:"disk"`
}

// DiskFile is a file and its size.
type DiskFile struct {
	Path      string `json:"path"`
	SizeBytes int64  `json:"sizeBytes"`
}

// DiskFree is the space of the file system that holds the database; Error
// says why it is unknown.
type DiskFree struct {
	FreeBytes  uint64 `json:"freeBytes"`
	TotalBytes uint64 `json:"totalBytes"`
	Error      string `json:"error,omitempty"`
}

// ButtonLink is one button agent's link as the server sees it.
type ButtonLink struct {
	Button string   `json:"button"`
	Name   string   `json:"name,omitempty"`
	Addr   string   `json:"addr"`
	RTTMs  *float64 `json:"rttMs,omitempty"`
	// SilentMs is how long ago the server last heard from it.
	SilentMs int64 `json:"silentMs"`
}

// DoctorPress is the answer of POST /api/v1/doctor/press: how many
// button agents were asked to flash their LED.
type DoctorPress struct {
	Sent int `json:"sent"`
}
