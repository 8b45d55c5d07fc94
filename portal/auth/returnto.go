package auth

import (
	"net/url"
	"strings"
)

// maxReturnTo bounds return_to; a longer one is refused rather than cut.
const maxReturnTo = 2048

// localPath reports whether s is a path on this site that sign-in may send
// the browser back to, and returns the path to use ("/" for an empty one).
// Everything a browser could read as another origin is refused: "//host"
// and "/\host" (browsers treat a backslash as a slash), schemes
// ("https:", "javascript:"), user info, and control characters, which some
// browsers strip before parsing.
func localPath(s string) (string, bool) {
	if s == "" {
		return "/", true
	}
	if len(s) > maxReturnTo || s[0] != '/' {
		return "", false
	}
	if len(s) > 1 && (s[1] == '/' || s[1] == '\\') {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return "", false
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "", false
	}
	// Coming back to a sign-in route would loop or sign out.
	if strings.HasPrefix(u.Path, "/auth/") {
		return "/", true
	}
	return s, true
}
