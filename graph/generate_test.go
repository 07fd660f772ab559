package graph_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The generated code is committed; this test fails when running `go tool gqlgen
// generate` on the committed schema and config would change it. It regenerates in a
// copy of the module, so the working tree is never touched.
func TestGeneratedCodeIsUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerating takes a while")
	}
	t.Parallel()
	root, err := filepath.Abs("..")
	must(t, err)
	tmp := t.TempDir()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && rel != "." || d.Name() == "node_modules" || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(tmp, rel), 0o755)
		}
		switch filepath.Ext(path) {
		// The sources, and the files they embed (the payment notice's template).
		case ".go", ".graphqls", ".yml", ".mod", ".sum", ".sql", ".html", ".js", ".css":
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(tmp, rel), b, 0o644)
		}
		return nil
	})
	must(t, err)

	cmd := exec.Command("go", "tool", "gqlgen", "generate")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gqlgen generate: %v\n%s", err, out)
	}
	generated, err := filepath.Glob(filepath.Join(root, "graph", "*.resolvers.go"))
	must(t, err)
	generated = append(generated,
		filepath.Join(root, "graph", "generated", "generated.go"),
		filepath.Join(root, "graph", "model", "models_gen.go"))
	for _, path := range generated {
		rel, _ := filepath.Rel(root, path)
		want, err := os.ReadFile(path)
		must(t, err)
		got, err := os.ReadFile(filepath.Join(tmp, rel))
		must(t, err)
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date: run `make generate` and commit the result", rel)
		}
	}
}
