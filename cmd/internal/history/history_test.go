package history

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is not installed; CI needs it")
		}
		t.Skip("git is not installed (apt-get install git)")
	}
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// TestReadOutsideRepository: no repository is no history, and no error.
func TestReadOutsideRepository(t *testing.T) {
	needGit(t)
	l, err := Read(t.TempDir())
	if l != nil || err != nil {
		t.Errorf("Read outside a repository = %v, %v; want nil, nil", l, err)
	}
}

// TestReadWithoutCommits: a new repository has an empty history.
func TestReadWithoutCommits(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	l, err := Read(dir)
	if err != nil || l == nil || len(l.Changes) != 0 {
		t.Errorf("Read of a repository without commits = %+v, %v; want an empty log", l, err)
	}
}

// TestReadRefusedRepository: when git refuses a repository (here one owned by
// another user, "dubious ownership"), Read says so instead of pretending
// there is no repository.
func TestReadRefusedRepository(t *testing.T) {
	needGit(t)
	if os.Getuid() != 0 {
		t.Skip("only root can give the repository to another user")
	}
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	if err := exec.Command("chown", "-R", "65534:65534", dir).Run(); err != nil {
		t.Skipf("chown: %v", err)
	}
	l, err := Read(dir)
	if err == nil || !strings.Contains(err.Error(), "dubious ownership") {
		t.Errorf("Read of a repository git refuses = %v, %v; want git's error", l, err)
	}
}
