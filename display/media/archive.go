package media

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// A show with its media travels as one ZIP archive: show.json (the show
// file) and media/<hash> for every file it names, stored, not compressed
// (films and stills are compressed already). Another machine imports it
// intact: each file is checked against its name.

// ShowEntry is the show file's name in an archive.
const ShowEntry = "show.json"

const mediaPrefix = "media/"

// ErrArchive wraps every reason an archive is refused.
var ErrArchive = errors.New("media: not a show archive")

// WriteArchive writes an archive of the show file and the files of
// hashes to w, streaming each file.
func (s *Store) WriteArchive(w io.Writer, show []byte, hashes []string) error {
	z := zip.NewWriter(w)
	f, err := z.CreateHeader(&zip.FileHeader{Name: ShowEntry, Method: zip.Deflate})
	if err == nil {
		_, err = f.Write(show)
	}
	if err != nil {
		return fmt.Errorf("media: archive the show: %w", err)
	}
	seen := map[string]bool{}
	for _, h := range hashes {
		if seen[h] {
			continue
		}
		seen[h] = true
		if err := s.archiveFile(z, h); err != nil {
			return err
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("media: finish the archive: %w", err)
	}
	return nil
}

func (s *Store) archiveFile(z *zip.Writer, hash string) error {
	src, err := os.Open(s.Path(hash))
	if s.Path(hash) == "" || err != nil {
		return fmt.Errorf("media: archive %s: the folder does not hold it", hash)
	}
	defer src.Close()
	dst, err := z.CreateHeader(&zip.FileHeader{Name: mediaPrefix + hash, Method: zip.Store})
	if err == nil {
		_, err = io.Copy(dst, src)
	}
	if err != nil {
		return fmt.Errorf("media: archive %s: %w", hash, err)
	}
	return nil
}

// ReadArchive reads the archive at file (size bytes): it puts every file
// into the folder, checking each against its name, and returns the show
// file (at most maxShow bytes) and the files it added (those the folder
// did not hold before), so a caller that refuses the show can take them
// out again. On an error it adds nothing.
func (s *Store) ReadArchive(file io.ReaderAt, size, maxShow int64) (show []byte, added []string, err error) {
	z, err := zip.NewReader(file, size)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrArchive, err)
	}
	defer func() {
		if err != nil {
			s.Remove(added)
			added = nil
		}
	}()
	for _, f := range z.File {
		switch name := f.Name; {
		case name == ShowEntry:
			if show, err = readEntry(f, maxShow); err != nil {
				return nil, added, err
			}
		case strings.HasPrefix(name, mediaPrefix):
			hash := path.Base(name)
			if s.Path(hash) == "" || name != mediaPrefix+hash {
				return nil, added, fmt.Errorf("%w: %q is no media file's name", ErrArchive, name)
			}
			had := s.Has(hash)
			if err := s.putEntry(f, hash); err != nil {
				return nil, added, err
			}
			if !had {
				added = append(added, hash)
			}
		case strings.HasSuffix(name, "/"):
		default:
			return nil, added, fmt.Errorf("%w: unexpected entry %q", ErrArchive, name)
		}
	}
	if show == nil {
		return nil, added, fmt.Errorf("%w: it holds no %s", ErrArchive, ShowEntry)
	}
	return show, added, nil
}

func readEntry(f *zip.File, limit int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrArchive, f.Name, limit)
	}
	r, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrArchive, f.Name, err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil || int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: %s: unreadable or too large", ErrArchive, f.Name)
	}
	return data, nil
}

// putEntry puts one media entry into the folder; its content must be its
// name.
func (s *Store) putEntry(f *zip.File, hash string) error {
	r, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrArchive, f.Name, err)
	}
	defer r.Close()
	info, err := s.Put(r)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrArchive, f.Name, err)
	}
	if info.Hash != hash {
		if info.New {
			s.Remove([]string{info.Hash})
		}
		return fmt.Errorf("%w: %s is not what its name says", ErrArchive, f.Name)
	}
	return nil
}

// Remove takes the files of hashes out of the folder.
func (s *Store) Remove(hashes []string) {
	for _, h := range hashes {
		if p := s.Path(h); p != "" {
			_ = os.Remove(p)
		}
	}
}
