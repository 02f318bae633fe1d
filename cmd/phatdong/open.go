package main

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
)

// opener opens a URL in the machine's default browser.
type opener func(url string) error

// openCommand is the program (and its arguments) that hands url to the
// default browser on goos.
func openCommand(goos, url string) (string, []string) {
	switch goos {
	case "windows":
		// url.dll's handler takes the URL as one argument, unlike `start`,
		// which cmd.exe would split at & and whose first quoted argument
		// is a window title.
		return "rundll32", []string{"url.dll,FileProtocolHandler", url}
	case "darwin":
		return "open", []string{url}
	default:
		return "xdg-open", []string{url}
	}
}

// defaultOpener starts the platform's opener and does not wait for the
// browser.
func defaultOpener(goos string) opener {
	return func(url string) error {
		name, args := openCommand(goos, url)
		cmd := exec.Command(name, args...)
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("open the browser with %s: %w", name, err)
		}
		go func() { _ = cmd.Wait() }() // reap it
		return nil
	}
}

// doubleClick applies what a server started without any argument on
// Windows (a double-click in Explorer, where no terminal waits for flags)
// needs: it opens the MC page. The show is then the saved one or, on the
// first start, the built-in one, as for any start without --show.
func doubleClick(cfg Config, goos string, noArgs bool) Config {
	if goos == "windows" && noArgs {
		cfg.Open = true
	}
	return cfg
}

// mcURL is the MC page's link on this machine, with the operator token in
// its fragment (never sent to the server in a request line).
func (s *Server) mcURL() string {
	bases := baseURLs(s.ln.Addr(), s.scheme())
	return bases[len(bases)-1] + "/mc#token=" + s.operatorToken
}

// OpenMC opens the MC page with open; a failure is logged, never fatal:
// the banner printed the link too.
func (s *Server) OpenMC(open opener, log *slog.Logger) {
	if err := open(s.mcURL()); err != nil {
		log.Warn("could not open the MC page in the browser; open the link of the banner", "err", err)
	}
}

// holdOnError keeps the console window of a double-clicked server open
// after it failed (the port taken, the database in use), until Enter, so
// the technician can read why: Windows closes the window when the program
// ends.
func holdOnError(goos string, noArgs bool, in io.Reader, out io.Writer) {
	if goos != "windows" || !noArgs {
		return
	}
	fmt.Fprintln(out, "Máy chủ không chạy được (lý do ở trên). Nhấn Enter để đóng cửa sổ.")
	_, _ = bufio.NewReader(in).ReadString('\n')
}
