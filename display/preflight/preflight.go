// Package preflight judges a server's preflight report (protocol.Doctor)
// as a checklist in Vietnamese: what passed, what did not and what to do
// about it (issue #17). The terminal's `phatdong doctor` prints it, and
// the MC's devices tab shows the same list.
package preflight

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/phatdong/phatdong/protocol"
)

// Thresholds of the preflight checklist.
const (
	minFreeDisk        = 1 << 30 // 1 GiB: films, the journal's growth, logs
	maxRTTMs           = 100.0   // a link slower than this makes clock sync and presses late
	maxUncertaintyMs   = 20.0    // a screen's clock offset known to better than a frame or so
	minFPS             = 50.0    // a screen that drew the moment slower than this stutters
	maxButtonSilenceMs = 5000    // a button agent pings every few seconds
)

// roleNames are the roles in Vietnamese, as the MC's screen names them.
var roleNames = map[protocol.Role]string{
	protocol.RoleStage: "Màn hình sân khấu", protocol.RolePresenter: "Màn hình người nói", protocol.RoleOperator: "Máy điều khiển",
	protocol.RoleButton: "Nút bấm", protocol.RoleMonitor: "Màn hình theo dõi",
}

// Checks judges a preflight report. reach says which of the server's
// addresses answered from the machine that asks (nil: not probed, as on
// the server itself).
func Checks(d protocol.Doctor, reach map[string]bool) []protocol.Check {
	var out []protocol.Check
	add := func(ok bool, text, fix string) { out = append(out, protocol.Check{OK: ok, Text: text, Fix: fix}) }
	add(true, fmt.Sprintf("Máy chủ trả lời (phiên bản %s, vai trò %s)", d.Version, d.Role), "")
	var lan, shown []string
	reached := 0
	for _, a := range d.Addresses {
		local := strings.Contains(a, "://localhost") || strings.Contains(a, "://127.")
		if !local {
			lan = append(lan, a)
		}
		switch ok, probed := reach[a]; {
		case !probed:
			shown = append(shown, a)
		case ok:
			shown = append(shown, a+" (đến được từ máy này)")
			if !local {
				reached++
			}
		default:
			shown = append(shown, a+" (không đến được từ máy này)")
		}
	}
	switch {
	case len(lan) == 0:
		add(false, "Máy chủ không có địa chỉ mạng LAN: "+strings.Join(d.Addresses, ", "),
			"chạy máy chủ với --addr :8080 và nối máy vào mạng LAN, để thiết bị khác kết nối được")
	case reach != nil && reached == 0:
		add(false, "Không đến được địa chỉ LAN nào của máy chủ từ máy này: "+strings.Join(shown, ", "),
			"kiểm tra tường lửa của máy chủ (cho phép cổng của nó) và rằng máy này cùng mạng LAN")
	default:
		add(true, "Địa chỉ cho thiết bị: "+strings.Join(shown, ", "), "")
	}
	if d.MDNSName != "" {
		add(true, "Tìm theo tên (mDNS): "+d.MDNSName, "")
	}
	add(true, fmt.Sprintf("Cơ sở dữ liệu: %s (%s)", d.DB.Path, bytesVN(uint64(max(d.DB.SizeBytes, 0)))), "")
	switch {
	case d.Disk.Error != "":
		add(false, "Không đọc được dung lượng ổ đĩa: "+d.Disk.Error, "kiểm tra ổ đĩa chứa cơ sở dữ liệu")
	case d.Disk.FreeBytes < minFreeDisk:
		add(false, fmt.Sprintf("Ổ đĩa chỉ còn trống %s", bytesVN(d.Disk.FreeBytes)),
			fmt.Sprintf("giải phóng ít nhất %s (xoá tệp tạm, phim cũ)", bytesVN(minFreeDisk)))
	default:
		add(true, fmt.Sprintf("Ổ đĩa còn trống %s / %s", bytesVN(d.Disk.FreeBytes), bytesVN(d.Disk.TotalBytes)), "")
	}
	for _, r := range d.Missing {
		switch r {
		case protocol.RoleStage:
			add(false, "Chưa có màn hình sân khấu nào kết nối", "mở trang /stage trên máy chiếu và màn LED (deploy/kiosk)")
		case protocol.RoleButton:
			add(false, "Chưa có nút bấm nào kết nối", "bật Raspberry Pi của nút, kiểm tra phatdong-button (đèn nháy nhanh là chưa kết nối)")
		default:
			add(false, "Chưa có thiết bị "+string(r), "kết nối một thiết bị vai trò "+string(r))
		}
	}
	for _, dev := range d.Devices {
		if dev.Role != protocol.RoleButton {
			out = append(out, deviceCheck(dev))
		}
	}
	for _, b := range d.Buttons {
		out = append(out, buttonCheck(b))
	}
	return out
}

// deviceCheck judges one screen's (or tablet's) clock, link and frame rate.
func deviceCheck(dev protocol.Device) protocol.Check {
	name := roleNames[dev.Role]
	if name == "" {
		name = string(dev.Role)
	}
	if dev.Name != "" {
		name += " «" + dev.Name + "»"
	}
	name += " (" + dev.Addr + ")"
	if dev.OffsetMs == nil || dev.RTTMs == nil {
		return protocol.Check{OK: false, Text: name + ": chưa báo đồng hồ", Fix: "tải lại trang trên thiết bị này; nếu vẫn vậy, kiểm tra mạng của nó"}
	}
	figures := "lệch đồng hồ " + numVN(*dev.OffsetMs, 1) + " ms"
	if dev.UncertaintyMs != nil {
		figures += " ±" + numVN(*dev.UncertaintyMs, 1)
	}
	figures += ", RTT " + numVN(*dev.RTTMs, 1) + " ms"
	if dev.Moment != nil {
		figures += ", " + numVN(dev.Moment.FPS, 0) + " khung hình/giây"
	}
	switch {
	case *dev.RTTMs > maxRTTMs:
		return protocol.Check{OK: false, Text: name + ": mạng chậm, " + figures, Fix: "dùng dây mạng, hoặc đặt thiết bị gần bộ phát Wi-Fi"}
	case dev.UncertaintyMs != nil && *dev.UncertaintyMs > maxUncertaintyMs:
		return protocol.Check{OK: false, Text: name + ": đồng hồ chưa chính xác, " + figures, Fix: "chờ vài giây rồi chạy lại; nếu vẫn vậy, kiểm tra Wi-Fi"}
	case dev.Moment != nil && dev.Moment.FPS < minFPS:
		return protocol.Check{OK: false, Text: name + ": vẽ chậm, " + figures, Fix: "đóng các ứng dụng khác trên máy này, hoặc giảm độ phân giải màn hình"}
	}
	return protocol.Check{OK: true, Text: name + ": " + figures}
}

// buttonCheck judges one button agent's link.
func buttonCheck(b protocol.ButtonLink) protocol.Check {
	name := "Nút bấm «" + b.Button + "» (" + b.Addr + ")"
	switch {
	case b.SilentMs > maxButtonSilenceMs:
		return protocol.Check{OK: false, Text: fmt.Sprintf("%s: im lặng %.0f giây", name, float64(b.SilentMs)/1000), Fix: "kiểm tra mạng và nguồn của Raspberry Pi"}
	case b.RTTMs != nil && *b.RTTMs > maxRTTMs:
		return protocol.Check{OK: false, Text: name + ": mạng chậm, RTT " + numVN(*b.RTTMs, 1) + " ms", Fix: "dùng dây mạng cho Raspberry Pi của nút"}
	case b.RTTMs != nil:
		return protocol.Check{OK: true, Text: name + ": kết nối tốt, RTT " + numVN(*b.RTTMs, 1) + " ms"}
	}
	return protocol.Check{OK: true, Text: name + ": đã kết nối"}
}

// bytesVN writes a size in MB or GB, Vietnamese style (comma decimal).
func bytesVN(n uint64) string {
	const mb, gb = 1 << 20, 1 << 30
	if n >= gb {
		return numVN(float64(n)/gb, 1) + " GB"
	}
	return numVN(float64(n)/mb, 1) + " MB"
}

// numVN writes x with prec decimals and a decimal comma.
func numVN(x float64, prec int) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', prec, 64), ".", ",", 1)
}
