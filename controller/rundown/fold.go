package rundown

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold reduces a header or label to lowercase ASCII words so that case,
// diacritics, spacing and punctuation do not matter: "  Thời  lượng (phút)"
// → "thoi luong". Text in parentheses is dropped.
func fold(s string) string {
	var b strings.Builder
	depth := 0
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case r == '(' || r == '[':
			depth++
			continue
		case r == ')' || r == ']':
			if depth > 0 {
				depth--
			}
			continue
		case depth > 0 || unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		}
		r = unicode.ToLower(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '#' {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		} else {
			space = true
		}
	}
	return b.String()
}

// plain lowercases s and drops its diacritics, keeping everything else:
// "1 Giờ 30 Phút" → "1 gio 30 phut".
func plain(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// slug makes a segment id from a title: "Văn nghệ chào mừng" →
// "van-nghe-chao-mung", at most 48 bytes; "" when nothing is left.
func slug(title string) string {
	out := strings.ReplaceAll(fold(title), " ", "-")
	out = strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-') {
			return r
		}
		return -1
	}, out)
	if len(out) > 48 {
		out = strings.TrimRight(out[:48], "-")
	}
	return strings.Trim(out, "-")
}
