// Command drift prints, as JSON, every code the pinned server components define, read
// from their Go sources in the module cache (go/ast), not from a list kept by hand:
//
//   - from the centrifuge library (the version Centrifugo v6.9.1 requires): every
//     package-level Disconnect value (code, reason), Error value (code, message,
//     temporary), Unsubscribe value (code, reason) and UnsubscribeCode constant;
//   - from Centrifugo (internal/apiproto): every server API Error value (code, message)
//     with the HTTP status and gRPC code its two mapping functions give it, and what
//     they give a code they do not list.
//
// Usage: drift [-module DIR], where DIR is the tests/live module (default "."); the
// module directories come from `go mod download -json` run there, so they are the
// go.mod pins, checked against go.sum. The program also links the library, and fails
// when the linked version is not the one whose sources it read, or when the library's
// Disconnect, Error or Unsubscribe types have fields it does not know. Any value it
// cannot evaluate from literals and constants is an error naming it: exit 1.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/centrifugal/centrifuge"
)

const (
	libraryPath   = "github.com/centrifugal/centrifuge"
	centrifugoPkg = "github.com/centrifugal/centrifugo/v6"
	grpcPath      = "google.golang.org/grpc"
)

// The fields each value type may have; a field not listed here is drift.
var knownFields = map[string][]string{
	"Disconnect":  {"Code", "Reason"},
	"Error":       {"Code", "Message", "Temporary"},
	"Unsubscribe": {"Code", "Reason"},
}

type module struct {
	Path    string `json:"path"`
	Version string `json:"version"`
	Dir     string `json:"-"`
}

type value struct {
	Name      string `json:"name"`
	Exported  bool   `json:"exported"`
	File      string `json:"file"`
	Code      int64  `json:"code"`
	Reason    string `json:"reason,omitempty"`
	Message   string `json:"message,omitempty"`
	Temporary bool   `json:"temporary,omitempty"`
	// For server API errors: what MapErrorToHTTPCode and MapErrorToGRPCCode give.
	HTTPStatus int    `json:"http_status,omitempty"`
	GRPCStatus string `json:"grpc_status,omitempty"`
}

type constant struct {
	Name string `json:"name"`
	Code int64  `json:"code"`
}

type report struct {
	Library         module     `json:"library"`
	Centrifugo      module     `json:"centrifugo"`
	Disconnects     []value    `json:"disconnects"`
	Errors          []value    `json:"errors"`
	Unsubscribes    []value    `json:"unsubscribes"`
	UnsubscribeCode []constant `json:"unsubscribe_codes"`
	APIErrors       []value    `json:"api_errors"`
	APIDefault      value      `json:"api_default"`
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "drift: "+format+"\n", args...)
	os.Exit(1)
}

func download(moduleDir string, path string) module {
	cmd := exec.Command("go", "mod", "download", "-json", path)
	cmd.Dir = moduleDir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOTOOLCHAIN=local")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		fail("go mod download %s in %s: %v\n%s%s", path, moduleDir, err, out, stderr.String())
	}
	var info struct {
		Path, Version, Dir, Error string
	}
	if err := json.Unmarshal(out, &info); err != nil || info.Dir == "" {
		fail("go mod download %s: no module directory in %q (%v)", path, out, err)
	}
	return module{Path: info.Path, Version: info.Version, Dir: info.Dir}
}

// pkg is one Go package's non-test sources, with its constants evaluated.
type pkg struct {
	dir    string
	files  map[string]*ast.File
	consts map[string]any
}

func load(dir, name string) *pkg {
	entries, err := os.ReadDir(dir)
	if err != nil {
		fail("read %s: %v", dir, err)
	}
	p := &pkg{dir: dir, files: map[string]*ast.File{}, consts: map[string]any{}}
	fset := token.NewFileSet()
	for _, entry := range entries {
		file := entry.Name()
		if entry.IsDir() || !strings.HasSuffix(file, ".go") || strings.HasSuffix(file, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(fset, filepath.Join(dir, file), nil, parser.SkipObjectResolution)
		if err != nil {
			fail("parse %s: %v", filepath.Join(dir, file), err)
		}
		if parsed.Name.Name == name {
			p.files[file] = parsed
		}
	}
	if len(p.files) == 0 {
		fail("no Go files of package %s in %s", name, dir)
	}
	// Constants may refer to each other; evaluate until nothing changes (bounded).
	for range 10 {
		changed := false
		p.eachSpec(token.CONST, func(_ string, spec *ast.ValueSpec) {
			for i, ident := range spec.Names {
				if _, done := p.consts[ident.Name]; done || i >= len(spec.Values) {
					continue
				}
				if v, ok := p.eval(spec.Values[i]); ok {
					p.consts[ident.Name] = v
					changed = true
				}
			}
		})
		if !changed {
			break
		}
	}
	return p
}

func (p *pkg) sortedFiles() []string {
	names := make([]string, 0, len(p.files))
	for name := range p.files {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

func (p *pkg) eachSpec(tok token.Token, fn func(file string, spec *ast.ValueSpec)) {
	for _, file := range p.sortedFiles() {
		for _, decl := range p.files[file].Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != tok {
				continue
			}
			for _, spec := range gen.Specs {
				fn(file, spec.(*ast.ValueSpec))
			}
		}
	}
}

// eval gives a literal's or a known constant's value: int64, string or bool.
func (p *pkg) eval(expr ast.Expr) (any, bool) {
	switch e := expr.(type) {
	case *ast.BasicLit:
		switch e.Kind {
		case token.INT:
			n, err := strconv.ParseInt(e.Value, 0, 64)
			return n, err == nil
		case token.STRING:
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		}
	case *ast.Ident:
		switch e.Name {
		case "true":
			return true, true
		case "false":
			return false, true
		}
		v, ok := p.consts[e.Name]
		return v, ok
	case *ast.ParenExpr:
		return p.eval(e.X)
	case *ast.CallExpr: // a conversion such as uint32(3000)
		if len(e.Args) == 1 {
			if _, isType := e.Fun.(*ast.Ident); isType {
				return p.eval(e.Args[0])
			}
		}
	}
	return nil, false
}

// values gives every package-level value of the struct type typeName, written as
// T{...} or &T{...}.
func (p *pkg) values(typeName string) []value {
	var found []value
	p.eachSpec(token.VAR, func(file string, spec *ast.ValueSpec) {
		for i, ident := range spec.Names {
			if i >= len(spec.Values) {
				continue
			}
			expr := spec.Values[i]
			if unary, ok := expr.(*ast.UnaryExpr); ok && unary.Op == token.AND {
				expr = unary.X
			}
			lit, ok := expr.(*ast.CompositeLit)
			if !ok {
				continue
			}
			if t, ok := lit.Type.(*ast.Ident); !ok || t.Name != typeName {
				continue
			}
			found = append(found, p.fields(file, ident.Name, typeName, lit))
		}
	})
	return found
}

func (p *pkg) fields(file, name, typeName string, lit *ast.CompositeLit) value {
	v := value{Name: name, Exported: ast.IsExported(name), File: file}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			fail("%s (%s): a %s literal without field names", name, file, typeName)
		}
		key := kv.Key.(*ast.Ident).Name
		if !slices.Contains(knownFields[typeName], key) {
			fail("%s (%s): %s has a field %s that the drift guard does not know", name, file, typeName, key)
		}
		raw, ok := p.eval(kv.Value)
		if !ok {
			fail("%s (%s): cannot evaluate %s.%s from literals and constants", name, file, typeName, key)
		}
		switch key {
		case "Code":
			v.Code = raw.(int64)
		case "Reason":
			v.Reason = raw.(string)
		case "Message":
			v.Message = raw.(string)
		case "Temporary":
			v.Temporary = raw.(bool)
		}
	}
	return v
}

// mapping reads a func whose body is `switch err.Code { case ErrorX.Code, ...: return
// SEL }`, and gives each listed value name the selector's name, plus the default's.
func (p *pkg) mapping(funcName string) (map[string]string, string) {
	for _, file := range p.sortedFiles() {
		for _, decl := range p.files[file].Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Name.Name != funcName {
				continue
			}
			cases := map[string]string{}
			fallback := ""
			for _, stmt := range fn.Body.List {
				sw, ok := stmt.(*ast.SwitchStmt)
				if !ok {
					continue
				}
				for _, clause := range sw.Body.List {
					cc := clause.(*ast.CaseClause)
					result := ""
					for _, s := range cc.Body {
						if ret, ok := s.(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
							if sel, ok := ret.Results[0].(*ast.SelectorExpr); ok {
								result = sel.Sel.Name
							}
						}
					}
					if result == "" {
						fail("%s (%s): a case that does not return a selector", funcName, file)
					}
					if cc.List == nil {
						fallback = result
					}
					for _, e := range cc.List {
						sel, ok := e.(*ast.SelectorExpr)
						if !ok || sel.Sel.Name != "Code" {
							fail("%s (%s): a case that is not ErrorX.Code", funcName, file)
						}
						cases[sel.X.(*ast.Ident).Name] = result
					}
				}
			}
			if fallback == "" {
				fail("%s (%s): no default case", funcName, file)
			}
			return cases, fallback
		}
	}
	fail("no func %s in %s", funcName, p.dir)
	return nil, ""
}

// upperSnake spells a Go gRPC code name as the gRPC status names are written
// (InvalidArgument -> INVALID_ARGUMENT).
func upperSnake(name string) string {
	var b strings.Builder
	for i, r := range name {
		if i > 0 && unicode.IsUpper(r) && !unicode.IsUpper(rune(name[i-1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

func goroot() string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		fail("go env GOROOT: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// checkLinked fails unless the linked library is the version whose sources were read,
// and its value types have exactly the fields the guard knows.
func checkLinked(lib module) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fail("no build information in the binary")
	}
	linked := ""
	for _, dep := range info.Deps {
		if dep.Path == libraryPath {
			linked = dep.Version
			if dep.Replace != nil {
				linked = dep.Replace.Version
			}
		}
	}
	if linked != lib.Version {
		fail("the binary links %s %q, but the module pins %q: rebuild it (tests/live/build.sh)", libraryPath, linked, lib.Version)
	}
	for name, t := range map[string]reflect.Type{
		"Disconnect":  reflect.TypeOf(centrifuge.Disconnect{}),
		"Error":       reflect.TypeOf(centrifuge.Error{}),
		"Unsubscribe": reflect.TypeOf(centrifuge.Unsubscribe{}),
	} {
		var fields []string
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				fields = append(fields, t.Field(i).Name)
			}
		}
		if !slices.Equal(fields, knownFields[name]) {
			fail("centrifuge.%s has the fields %v; the drift guard knows %v", name, fields, knownFields[name])
		}
	}
}

func main() {
	moduleDir := flag.String("module", ".", "the tests/live module directory")
	flag.Parse()

	lib := download(*moduleDir, libraryPath)
	server := download(*moduleDir, centrifugoPkg)
	grpc := download(*moduleDir, grpcPath)
	checkLinked(lib)

	library := load(lib.Dir, "centrifuge")
	out := report{
		Library:      lib,
		Centrifugo:   server,
		Disconnects:  library.values("Disconnect"),
		Errors:       library.values("Error"),
		Unsubscribes: library.values("Unsubscribe"),
	}
	library.eachSpec(token.CONST, func(_ string, spec *ast.ValueSpec) {
		for _, ident := range spec.Names {
			if !strings.HasPrefix(ident.Name, "UnsubscribeCode") {
				continue
			}
			code, ok := library.consts[ident.Name].(int64)
			if !ok {
				fail("cannot evaluate the constant %s", ident.Name)
			}
			out.UnsubscribeCode = append(out.UnsubscribeCode, constant{ident.Name, code})
		}
	})

	httpStatus := load(filepath.Join(goroot(), "src", "net", "http"), "http")
	grpcCodes := load(filepath.Join(grpc.Dir, "codes"), "codes")
	api := load(filepath.Join(server.Dir, "internal", "apiproto"), "apiproto")
	httpCases, httpDefault := api.mapping("MapErrorToHTTPCode")
	grpcCases, grpcDefault := api.mapping("MapErrorToGRPCCode")
	status := func(name string) int {
		n, ok := httpStatus.consts[name].(int64)
		if !ok {
			fail("net/http has no constant %s", name)
		}
		return int(n)
	}
	grpcName := func(name string) string {
		if _, ok := grpcCodes.consts[name]; !ok {
			fail("google.golang.org/grpc/codes has no constant %s", name)
		}
		return upperSnake(name)
	}
	for _, v := range api.values("Error") {
		v.HTTPStatus, v.GRPCStatus = status(httpDefault), grpcName(grpcDefault)
		if name, ok := httpCases[v.Name]; ok {
			v.HTTPStatus = status(name)
		}
		if name, ok := grpcCases[v.Name]; ok {
			v.GRPCStatus = grpcName(name)
		}
		out.APIErrors = append(out.APIErrors, v)
	}
	out.APIDefault = value{Name: "default", HTTPStatus: status(httpDefault), GRPCStatus: grpcName(grpcDefault)}
	for _, mapped := range []map[string]string{httpCases, grpcCases} {
		for name := range mapped {
			if !slices.ContainsFunc(out.APIErrors, func(v value) bool { return v.Name == name }) {
				fail("a mapping names %s, which apiproto does not define", name)
			}
		}
	}

	encoder := json.NewEncoder(os.Stdout)
	encoder.SetIndent("", "  ")
	if err := encoder.Encode(out); err != nil {
		fail("encode: %v", err)
	}
}
