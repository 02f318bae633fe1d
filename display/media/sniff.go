package media

import (
	"bytes"
	"net/http"
)

// sniffLen is how much of a file tells its type (as net/http reads).
const sniffLen = 512

// Sniff is the MIME type of a file whose first bytes are head, among the
// media types a segment may have (controller.MediaTypes), "" for any
// other: the standard library's content sniffing, with a Matroska file
// taken as WebM only when it says it is one (browsers play WebM, not
// every Matroska).
func Sniff(head []byte) string {
	typ := http.DetectContentType(head)
	switch typ {
	case "video/mp4", "image/png", "image/jpeg", "image/webp":
		return typ
	case "video/webm":
		if bytes.Contains(head[:min(len(head), 64)], []byte("webm")) {
			return typ
		}
	}
	return ""
}
