package main

import (
	"fmt"
	"io"

	"github.com/phatdong/phatdong/protocol"
)

// pressCheck judges the test press: refused outside rehearsal, or how
// many buttons were asked to flash.
func pressCheck(rehearsal bool, sent int, err error) protocol.Check {
	switch {
	case !rehearsal:
		return protocol.Check{OK: false, Text: "Chưa thử nút: chế độ tập dượt đang tắt", Fix: "bật chế độ tập dượt trên /mc rồi chạy lại với --press (không bao giờ thử trong buổi lễ)"}
	case err != nil:
		return protocol.Check{OK: false, Text: "Không thử được nút: " + err.Error(), Fix: "kiểm tra mã quản trị (--token) và máy chủ"}
	case sent == 0:
		return protocol.Check{OK: false, Text: "Không có nút bấm nào để thử", Fix: "kết nối nút bấm rồi chạy lại với --press"}
	}
	return protocol.Check{OK: true, Text: fmt.Sprintf("Đã gửi lệnh thử tới %d nút: đèn nháy nhanh 2 giây (màn hình không đổi), hãy nhìn đèn trên bục", sent)}
}

// printChecks writes the checklist and reports whether every check passed.
func printChecks(w io.Writer, list []protocol.Check) bool {
	all := true
	for _, c := range list {
		if c.OK {
			fmt.Fprintf(w, "✔ %s\n", c.Text)
			continue
		}
		all = false
		fmt.Fprintf(w, "✘ %s\n    → %s\n", c.Text, c.Fix)
	}
	return all
}
