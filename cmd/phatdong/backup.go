package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/phatdong/phatdong/controller/bolt"
)

// backupCommand is `phatdong backup`: a consistent copy of the database,
// from a running server (--server, --token) or from a stopped server's
// file (--db), written to OUT only once it is whole and verified.
type backupCommand struct {
	server, token, ca string
	db                string
	force             bool
	out               string
}

// parseBackup reads the backup command's flags and its one argument.
func parseBackup(args []string, getenv func(string) string, stderr io.Writer) (backupCommand, error) {
	var c backupCommand
	fs := flag.NewFlagSet("phatdong backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.server, "server", "", "the running server's URL, e.g. http://127.0.0.1:8080")
	fs.StringVar(&c.token, "token", getenv("PHATDONG_OPERATOR_TOKEN"), "the administrator's (operator) token (PHATDONG_OPERATOR_TOKEN)")
	fs.StringVar(&c.ca, "ca", "", "the CA that signed the server's certificate (PEM), for an https server")
	fs.StringVar(&c.db, "db", "", "the database file of a server that is not running")
	fs.BoolVar(&c.force, "force", false, "replace OUT if it exists")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "phatdong backup: copy the database consistently into OUT.\n\nUsage:\n"+
			"  phatdong backup --server URL --token T [--force] OUT   from a running server (its administrator token)\n"+
			"  phatdong backup --db FILE [--force] OUT                from a stopped server's database\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return backupCommand{}, err
	}
	if fs.NArg() != 1 {
		return backupCommand{}, errors.New("backup: give one output file (phatdong backup -h)")
	}
	c.out = fs.Arg(0)
	switch {
	case c.server != "" && c.db != "":
		return backupCommand{}, errors.New("backup: give either --server or --db, not both")
	case c.server == "" && c.db == "":
		return backupCommand{}, errors.New("backup: give --server URL --token T (a running server) or --db FILE (a stopped one)")
	case c.server != "" && c.token == "":
		return backupCommand{}, errors.New("backup: --server needs the administrator's --token (or PHATDONG_OPERATOR_TOKEN)")
	}
	return c, nil
}

// runBackupCommand runs `phatdong backup` with args.
func runBackupCommand(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseBackup(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	v, n, err := c.run()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã sao lưu vào %s: %d byte, lệnh cuối seq %d, chương trình %q, %d lệnh trong nhật ký; bản sao đã được kiểm tra.\n",
		c.out, n, v.Seq, v.Title, v.Entries)
	return nil
}

// run copies into a temporary file beside OUT, verifies it, then renames
// it to OUT. OUT is never left half written, and an existing OUT is kept
// unless --force.
func (c backupCommand) run() (bolt.Verified, int64, error) {
	if _, err := os.Stat(c.out); err == nil && !c.force {
		return bolt.Verified{}, 0, fmt.Errorf("backup: %s exists; add --force to replace it", c.out)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return bolt.Verified{}, 0, fmt.Errorf("backup: %w", err)
	}
	dir := filepath.Dir(c.out)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(c.out)+".*.tmp")
	if err != nil {
		return bolt.Verified{}, 0, fmt.Errorf("backup: %w", err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	var n int64
	if c.server != "" {
		n, err = c.fetch(tmp)
	} else {
		n, err = bolt.BackupFile(c.db, tmp)
		if errors.Is(err, bolt.ErrLocked) {
			err = fmt.Errorf("%w: back it up through the server with --server URL --token T", err)
		}
	}
	if err != nil {
		return bolt.Verified{}, 0, fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return bolt.Verified{}, 0, fmt.Errorf("backup: sync %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return bolt.Verified{}, 0, fmt.Errorf("backup: close %s: %w", tmp.Name(), err)
	}
	v, err := bolt.Verify(tmp.Name())
	if err != nil {
		return bolt.Verified{}, 0, fmt.Errorf("backup: the copy does not verify, %s is unchanged: %w", c.out, err)
	}
	if err := os.Rename(tmp.Name(), c.out); err != nil {
		return bolt.Verified{}, 0, fmt.Errorf("backup: %w", err)
	}
	done = true
	syncDir(dir)
	return v, n, nil
}

// syncDir makes a rename in dir durable where the OS allows it (not on
// Windows, which cannot open a directory for syncing).
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
