package rundown

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseDuration reads a planned duration as a person writes it in a
// rundown and returns seconds:
//
//	"15:00"      mm:ss, fifteen minutes (minutes may exceed 59: "90:00")
//	"1:05:30"    h:mm:ss
//	"15 phút"    minutes with a unit; also "30 giây", "1 giờ 30 phút",
//	             "15p", "1h30", "90s"
//	"15", "7,5"  a plain number is minutes
//
// An Excel time cell is read as the text Excel shows for it (see xlsx.go),
// so a cell showing 15:00 is fifteen minutes whatever its format.
func ParseDuration(s string) (int, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("chưa có thời lượng")
	}
	if strings.Contains(t, ":") {
		return parseClock(t)
	}
	if n, ok := parseNumber(t); ok {
		return minutes(n)
	}
	return parseUnits(t)
}

// parseClock reads mm:ss or h:mm:ss.
func parseClock(t string) (int, error) {
	parts := strings.Split(t, ":")
	if len(parts) > 3 {
		return 0, fmt.Errorf("%q không phải mm:ss hay h:mm:ss", t)
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 || len(p) > 6 {
			return 0, fmt.Errorf("%q không phải mm:ss hay h:mm:ss", t)
		}
		if i > 0 && n > 59 {
			return 0, fmt.Errorf("%q: phút và giây phải nhỏ hơn 60", t)
		}
		nums[i] = n
	}
	sec := nums[len(nums)-1] + 60*nums[len(nums)-2]
	if len(nums) == 3 {
		sec += 3600 * nums[0]
	}
	return checkRange(sec)
}

// unitSeconds maps a folded unit word to its seconds.
var unitSeconds = map[string]int{
	"h": 3600, "g": 3600, "gio": 3600, "tieng": 3600,
	"p": 60, "ph": 60, "phut": 60, "m": 60, "min": 60, "'": 60,
	"s": 1, "giay": 1, "sec": 1, "\"": 1, "''": 1,
}

// parseUnits reads numbers each followed by a unit: "1 giờ 30 phút",
// "15p", "1h30" (a trailing bare number counts in the unit after the last
// one: minutes after hours, seconds after minutes).
func parseUnits(t string) (int, error) {
	bad := fmt.Errorf("không đọc được thời lượng %q (ví dụ đúng: 15:00, 1:05:30, 15 phút, 15)", t)
	f := strings.ReplaceAll(plain(strings.ReplaceAll(t, ",", ".")), " ", "")
	total, last := 0.0, 0
	for f != "" {
		i := 0
		for i < len(f) && (f[i] >= '0' && f[i] <= '9' || f[i] == '.') {
			i++
		}
		if i == 0 {
			return 0, bad
		}
		n, err := strconv.ParseFloat(f[:i], 64)
		if err != nil {
			return 0, bad
		}
		f = f[i:]
		j := 0
		for j < len(f) && (f[j] < '0' || f[j] > '9') && f[j] != '.' {
			j++
		}
		unit, ok := unitSeconds[f[:j]]
		switch {
		case j == 0 && last > 1:
			unit = last / 60
		case !ok:
			return 0, bad
		}
		if last != 0 && unit >= last {
			return 0, bad
		}
		total += n * float64(unit)
		last = unit
		f = f[j:]
	}
	if total > math.MaxInt32 {
		return 0, fmt.Errorf("thời lượng %q quá dài (tối đa 24 giờ)", t)
	}
	return checkRange(int(math.Round(total)))
}

func parseNumber(t string) (float64, bool) {
	n, err := strconv.ParseFloat(strings.ReplaceAll(t, ",", "."), 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, false
	}
	return n, true
}

func minutes(n float64) (int, error) {
	switch {
	case n <= 0:
		return checkRange(0)
	case n > 24*60:
		return checkRange(maxSec + 1)
	}
	return checkRange(int(math.Round(n * 60)))
}

const maxSec = 24 * 3600

func checkRange(sec int) (int, error) {
	switch {
	case sec <= 0:
		return 0, fmt.Errorf("thời lượng phải lớn hơn 0")
	case sec > maxSec:
		return 0, fmt.Errorf("thời lượng tối đa là 24 giờ")
	}
	return sec, nil
}

// FormatDuration writes seconds as mm:ss (minutes may exceed 59), the
// form ParseDuration reads back.
func FormatDuration(sec int) string {
	return fmt.Sprintf("%02d:%02d", sec/60, sec%60)
}
