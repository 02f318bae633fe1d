package rundown

import (
	"fmt"

	"github.com/phatdong/phatdong/controller"
)

// KindLabels are the Vietnamese names of the segment kinds, as an
// exported table writes them in its Loại column.
var KindLabels = map[controller.Kind]string{
	controller.KindWelcome: "Chào mừng", controller.KindPerformance: "Văn nghệ", controller.KindSpeech: "Phát biểu",
	controller.KindVideo: "Phóng sự", controller.KindLaunch: "Phát động", controller.KindBreak: "Giải lao",
	controller.KindClosing: "Kết thúc", controller.KindOther: "Khác",
}

// kindNames are the folded words a Loại cell may hold. The labels above and
// the kinds' own (English) names are added in init.
var kindNames = map[string]controller.Kind{
	"khai mac": controller.KindWelcome, "don tiep": controller.KindWelcome, "chao don": controller.KindWelcome,
	"bieu dien": controller.KindPerformance, "tiet muc": controller.KindPerformance, "van nghe chao mung": controller.KindPerformance,
	"phat bieu chi dao": controller.KindSpeech, "dien van": controller.KindSpeech, "bao cao": controller.KindSpeech, "tuyen bo": controller.KindSpeech,
	"video": controller.KindVideo, "phim": controller.KindVideo, "clip": controller.KindVideo, "trinh chieu": controller.KindVideo,
	"bam nut": controller.KindLaunch, "nghi": controller.KindBreak, "nghi giai lao": controller.KindBreak,
	"be mac": controller.KindClosing, "ket thuc chuong trinh": controller.KindClosing,
}

func init() {
	for k, label := range KindLabels {
		kindNames[fold(label)] = k
		kindNames[string(k)] = k
	}
}

// ParseKind reads a Loại cell; empty is "other".
func ParseKind(s string) (controller.Kind, error) {
	f := fold(s)
	if f == "" {
		return controller.KindOther, nil
	}
	if k, ok := kindNames[f]; ok {
		return k, nil
	}
	return "", fmt.Errorf("không rõ loại %q (một trong: Chào mừng, Văn nghệ, Phát biểu, Phóng sự, Phát động, Giải lao, Kết thúc, Khác)", s)
}
