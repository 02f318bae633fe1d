package rundown

import "testing"

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"15:00", 900, false},
		{" 05:30 ", 330, false},
		{"90:00", 5400, false},
		{"1:05:30", 3930, false},
		{"0:15:00", 900, false},
		{"15 phút", 900, false},
		{"15 PHÚT", 900, false},
		{"15 phut", 900, false},
		{"15p", 900, false},
		{"30 giây", 30, false},
		{"1 giờ 30 phút", 5400, false},
		{"1h30", 5400, false},
		{"2 phút 30", 150, false},
		{"7,5 phút", 450, false},
		{"15", 900, false},
		{"7,5", 450, false},
		{"7.5", 450, false},
		{"24:00:00", 86400, false},
		{"", 0, true},
		{"0", 0, true},
		{"-5", 0, true},
		{"00:00", 0, true},
		{"15:60", 0, true},
		{"1:2:3:4", 0, true},
		{"abc", 0, true},
		{"15 ngày", 0, true},
		{"30 phút 1 giờ", 0, true},
		{"1441", 0, true},
		{"24:00:01", 0, true},
		{"NaN", 0, true},
		{"1e9 phút", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseDuration(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestFormatDurationRoundTrip(t *testing.T) {
	for _, sec := range []int{1, 59, 60, 900, 3599, 5400, 86400} {
		got, err := ParseDuration(FormatDuration(sec))
		if err != nil || got != sec {
			t.Errorf("%d → %q → %d, %v", sec, FormatDuration(sec), got, err)
		}
	}
}

func TestParseKind(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  bool
	}{
		{"", "other", false},
		{"Văn nghệ", "performance", false},
		{"VAN NGHE", "performance", false},
		{"  phát   biểu ", "speech", false},
		{"Phóng sự", "video", false},
		{"video", "video", false},
		{"Phát động", "launch", false},
		{"Giải lao", "break", false},
		{"Kết thúc", "closing", false},
		{"Chào mừng", "welcome", false},
		{"Khác", "other", false},
		{"launch", "launch", false},
		{"Ăn trưa", "", true},
	}
	for _, tt := range tests {
		got, err := ParseKind(tt.in)
		if (err != nil) != tt.err || string(got) != tt.want {
			t.Errorf("ParseKind(%q) = %q, %v", tt.in, got, err)
		}
	}
}
