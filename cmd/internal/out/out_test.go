package out

import (
	"os"
	"path/filepath"
	"testing"
)

func read(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestMem(t *testing.T) {
	m := NewMem()
	defer m.Close()
	buf := []byte("<p>a</p>")
	if err := m.Write("nl/index.html", buf); err != nil {
		t.Fatal(err)
	}
	buf[4] = 'b' // the caller may reuse its buffer
	c := m.Clone()
	c.Write("nl/index.html", []byte("<p>c</p>"))
	if got, _ := m.File("nl/index.html"); string(got) != "<p>a</p>" {
		t.Errorf("File = %q; want the data as written, unchanged by the clone", got)
	}
	for _, bad := range []string{"", "/abs", "../up", "a//b", "."} {
		if err := m.Write(bad, nil); err == nil {
			t.Errorf("Write(%q) succeeded", bad)
		}
	}
	dir, err := m.Folder("_search")
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("Close left the folder %s", dir)
	}
}

// TestDirPublish: the old tree stays until Publish, which replaces it whole.
func TestDirPublish(t *testing.T) {
	public := filepath.Join(t.TempDir(), "public")
	os.MkdirAll(public, 0o755)
	os.WriteFile(filepath.Join(public, "old.html"), []byte("old"), 0o644)
	d, err := NewDir(public)
	if err != nil {
		t.Fatal(err)
	}
	d.Write("nl/index.html", []byte("new"))
	if _, err := os.Stat(filepath.Join(public, "old.html")); err != nil {
		t.Fatal("the old tree changed before Publish")
	}
	if err := d.Publish(); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(public, "nl", "index.html")); got != "new" {
		t.Errorf("published %q", got)
	}
	if _, err := os.Stat(filepath.Join(public, "old.html")); !os.IsNotExist(err) {
		t.Error("the old tree's file is still there after Publish")
	}
	if left, _ := filepath.Glob(public + ".*"); len(left) > 0 {
		t.Errorf("left beside the tree: %v", left)
	}
}

// TestRecover mends what killed builds leave: half-written trees go, and a
// tree moved aside by a build killed between Publish's renames comes back.
func TestRecover(t *testing.T) {
	dir := t.TempDir()
	public := filepath.Join(dir, "public")
	mk := func(name, file string) {
		os.MkdirAll(filepath.Join(dir, name), 0o755)
		os.WriteFile(filepath.Join(dir, name, "index.html"), []byte(file), 0o644)
	}
	// Killed while writing: the tree is intact, a half-written one beside it.
	mk("public", "good")
	mk("public.new-1", "half")
	if err := Recover(public); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(public, "index.html")); got != "good" {
		t.Errorf("after a kill while writing: %q", got)
	}
	// Killed between the renames: the old tree is aside, the new one complete.
	os.Rename(public, filepath.Join(dir, "public.old-2"))
	mk("public.new-2", "new")
	if err := Recover(public); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(public, "index.html")); got != "good" {
		t.Errorf("after a kill between the renames: %q; want the old tree back", got)
	}
	if left, _ := filepath.Glob(public + ".*"); len(left) > 0 {
		t.Errorf("left beside the tree: %v", left)
	}
}
