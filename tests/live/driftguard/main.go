// Command driftguard prints, as one JSON document, every protocol code that the pinned
// server library (github.com/centrifugal/centrifuge) and server
// (github.com/centrifugal/centrifugo/v6) define, read from their sources in the Go
// module cache with go/parser and go/ast. It imports neither package and holds no list
// of names: whatever the pinned sources declare is what it reports, so that raising a
// pin in go.mod changes this output, and test_drift_guard.py then names what moved.
//
// What it reads:
//   - in the library's package: every package-level variable initialised with a
//     Disconnect, *Error or Unsubscribe composite literal, and every constant whose
//     name starts with UnsubscribeCode;
//   - in Centrifugo's internal/apiproto: every package-level *Error variable, and every
//     switch on an error's Code whose cases return net/http or gRPC codes constants
//     (the transport mappings of the server API errors), default branch included.
//
// Constant expressions (literals, named constants of any package it can reach, iota,
// implicit repetition in const blocks, conversions, arithmetic) are evaluated with
// go/constant. Struct fields that a literal leaves out are reported with their zero
// value, read from the struct's declaration.
//
// Run it from tests/live (the module that pins both): it asks the go command, with
// -mod=readonly, where the modules and packages are.
//
// Usage: driftguard [-C dir] [-library dir] [-server dir]; the last two read a copy of
// a module's sources instead of the module cache's (the tests edit such copies).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

const (
	libraryModule    = "github.com/centrifugal/centrifuge"
	serverModule     = "github.com/centrifugal/centrifugo/v6"
	serverAPIPackage = serverModule + "/internal/apiproto"
	httpPackage      = "net/http"
	grpcCodesPackage = "google.golang.org/grpc/codes"
)

// module is what `go list -m -json` says of a pinned module.
type module struct {
	Path    string `json:"path"`
	Version string `json:"version"`
	Dir     string `json:"dir"`
}

// pkg is one parsed package: its files, constants (unevaluated until asked for) and
// the composite-literal variables and struct types it declares.
type pkg struct {
	path    string
	dir     string
	fset    *token.FileSet
	files   []*ast.File
	consts  map[string]*constSpec
	vars    map[string]*varSpec
	structs map[string]*ast.StructType
}

type constSpec struct {
	name  string
	expr  ast.Expr // nil for a constant without a value (a typed zero)
	iota  int64
	file  *ast.File
	value constant.Value
	state int // 0 unevaluated, 1 evaluating, 2 done
}

type varSpec struct {
	name     string
	typeName string // the composite literal's type, "" when the value is not one
	lit      *ast.CompositeLit
	file     *ast.File
	pos      token.Position
}

// loader finds and parses packages, once each.
type loader struct {
	dir   string
	pkgs  map[string]*pkg
	goEnv []string
}

func (l *loader) goCmd(args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = l.dir
	cmd.Env = l.goEnv
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

func (l *loader) module(path string) (module, error) {
	out, err := l.goCmd("list", "-m", "-json", path)
	if err != nil {
		return module{}, err
	}
	var m module
	if err := json.Unmarshal(out, &m); err != nil {
		return module{}, fmt.Errorf("go list -m -json %s: %v", path, err)
	}
	if m.Dir == "" {
		return module{}, fmt.Errorf("module %s@%s is not in the module cache (run tests/live/build.sh first)", m.Path, m.Version)
	}
	return m, nil
}

// load parses the package at importPath; dir may be given, else the go command finds it.
func (l *loader) load(importPath, dir string) (*pkg, error) {
	if p, ok := l.pkgs[importPath]; ok {
		return p, nil
	}
	if dir == "" {
		out, err := l.goCmd("list", "-find", "-f", "{{.Dir}}", importPath)
		if err != nil {
			return nil, err
		}
		dir = strings.TrimSpace(string(out))
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	name := importPath[strings.LastIndex(importPath, "/")+1:]
	p := &pkg{
		path: importPath, dir: dir, fset: token.NewFileSet(),
		consts: map[string]*constSpec{}, vars: map[string]*varSpec{}, structs: map[string]*ast.StructType{},
	}
	for _, entry := range entries {
		file := entry.Name()
		if entry.IsDir() || !strings.HasSuffix(file, ".go") || strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(p.fset, filepath.Join(dir, file), nil, parser.SkipObjectResolution|parser.ParseComments)
		if err != nil {
			return nil, err
		}
		// Files of another package in the folder (generators under a build tag) are not
		// part of it.
		if f.Name.Name != name {
			continue
		}
		p.files = append(p.files, f)
		p.collect(f)
	}
	if len(p.files) == 0 {
		return nil, fmt.Errorf("no Go files of package %s in %s", importPath, dir)
	}
	l.pkgs[importPath] = p
	return p, nil
}

func (p *pkg) collect(f *ast.File) {
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok {
			continue
		}
		switch gen.Tok {
		case token.CONST:
			var last []ast.Expr
			for i, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				if len(vs.Values) > 0 || vs.Type != nil {
					last = vs.Values
				}
				for j, id := range vs.Names {
					c := &constSpec{name: id.Name, iota: int64(i), file: f}
					if j < len(last) {
						c.expr = last[j]
					}
					p.consts[id.Name] = c
				}
			}
		case token.VAR:
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for j, id := range vs.Names {
					v := &varSpec{name: id.Name, file: f, pos: p.fset.Position(id.Pos())}
					if j < len(vs.Values) {
						v.lit, v.typeName = compositeOf(vs.Values[j])
					}
					p.vars[id.Name] = v
				}
			}
		case token.TYPE:
			for _, spec := range gen.Specs {
				ts := spec.(*ast.TypeSpec)
				if st, ok := ts.Type.(*ast.StructType); ok {
					p.structs[ts.Name.Name] = st
				}
			}
		}
	}
}

// compositeOf returns T{...} or &T{...} as the literal and T's name.
func compositeOf(e ast.Expr) (*ast.CompositeLit, string) {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, ""
	}
	if id, ok := lit.Type.(*ast.Ident); ok {
		return lit, id.Name
	}
	return lit, ""
}

// importOf returns the import path that name stands for in file f.
func importOf(f *ast.File, name string) (string, bool) {
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		local := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			local = imp.Name.Name
		}
		if local == name {
			return path, true
		}
	}
	return "", false
}

// constant evaluates the package constant name.
func (l *loader) constant(p *pkg, name string) (constant.Value, error) {
	c, ok := p.consts[name]
	if !ok {
		return nil, fmt.Errorf("%s: no constant %s", p.path, name)
	}
	switch c.state {
	case 2:
		return c.value, nil
	case 1:
		return nil, fmt.Errorf("%s: constant %s refers to itself", p.path, name)
	}
	c.state = 1
	var v constant.Value = constant.MakeInt64(0)
	if c.expr != nil {
		var err error
		if v, err = l.eval(p, c.file, c.expr, c.iota); err != nil {
			return nil, fmt.Errorf("constant %s.%s: %w", p.path, name, err)
		}
	}
	c.value, c.state = v, 2
	return v, nil
}

// eval evaluates a constant expression of file f in package p; iota < 0 outside const blocks.
func (l *loader) eval(p *pkg, f *ast.File, e ast.Expr, iota int64) (constant.Value, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		v := constant.MakeFromLiteral(e.Value, e.Kind, 0)
		if v.Kind() == constant.Unknown {
			return nil, fmt.Errorf("bad literal %s", e.Value)
		}
		return v, nil
	case *ast.ParenExpr:
		return l.eval(p, f, e.X, iota)
	case *ast.Ident:
		switch e.Name {
		case "iota":
			if iota < 0 {
				return nil, errors.New("iota outside a const block")
			}
			return constant.MakeInt64(iota), nil
		case "true", "false":
			return constant.MakeBool(e.Name == "true"), nil
		}
		return l.constant(p, e.Name)
	case *ast.UnaryExpr:
		x, err := l.eval(p, f, e.X, iota)
		if err != nil {
			return nil, err
		}
		return constant.UnaryOp(e.Op, x, 0), nil
	case *ast.BinaryExpr:
		x, err := l.eval(p, f, e.X, iota)
		if err != nil {
			return nil, err
		}
		y, err := l.eval(p, f, e.Y, iota)
		if err != nil {
			return nil, err
		}
		switch e.Op {
		case token.SHL, token.SHR:
			s, ok := constant.Uint64Val(y)
			if !ok {
				return nil, errors.New("bad shift count")
			}
			return constant.Shift(x, e.Op, uint(s)), nil
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
			return constant.MakeBool(constant.Compare(x, e.Op, y)), nil
		case token.QUO:
			if x.Kind() == constant.Int && y.Kind() == constant.Int {
				return constant.BinaryOp(x, token.QUO_ASSIGN, y), nil
			}
		}
		return constant.BinaryOp(x, e.Op, y), nil
	case *ast.CallExpr:
		// A conversion, T(x) or pkg.T(x): its value is x's.
		if len(e.Args) == 1 {
			return l.eval(p, f, e.Args[0], iota)
		}
	case *ast.SelectorExpr:
		id, ok := e.X.(*ast.Ident)
		if !ok {
			break
		}
		if path, ok := importOf(f, id.Name); ok {
			other, err := l.load(path, "")
			if err != nil {
				return nil, err
			}
			return l.constant(other, e.Sel.Name)
		}
		// V.Field of a package variable initialised with a composite literal.
		if v, ok := p.vars[id.Name]; ok && v.lit != nil {
			fields, err := l.fields(p, v)
			if err != nil {
				return nil, err
			}
			if val, ok := fields[e.Sel.Name]; ok {
				return val, nil
			}
			return nil, fmt.Errorf("%s has no field %s", id.Name, e.Sel.Name)
		}
	}
	return nil, fmt.Errorf("cannot evaluate %T at %s", e, p.fset.Position(e.Pos()))
}

// fields evaluates a composite-literal variable field by field, with the zero value of
// every exported basic-typed field of the struct that the literal leaves out.
func (l *loader) fields(p *pkg, v *varSpec) (map[string]constant.Value, error) {
	out := map[string]constant.Value{}
	if st, ok := p.structs[v.typeName]; ok {
		for _, field := range st.Fields.List {
			id, ok := field.Type.(*ast.Ident)
			if !ok {
				continue
			}
			zero := zeroOf(id.Name)
			if zero == nil {
				continue
			}
			for _, name := range field.Names {
				if name.IsExported() {
					out[name.Name] = zero
				}
			}
		}
	}
	for _, elt := range v.lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return nil, fmt.Errorf("%s: %s is not a keyed literal", v.pos, v.name)
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			return nil, fmt.Errorf("%s: %s has a field key that is not a name", v.pos, v.name)
		}
		val, err := l.eval(p, v.file, kv.Value, -1)
		if err != nil {
			return nil, fmt.Errorf("%s: %s.%s: %w", v.pos, v.name, key.Name, err)
		}
		out[key.Name] = val
	}
	return out, nil
}

func zeroOf(typeName string) constant.Value {
	switch typeName {
	case "bool":
		return constant.MakeBool(false)
	case "string":
		return constant.MakeString("")
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return constant.MakeInt64(0)
	}
	return nil
}

// jsonValue turns a constant into a JSON-ready Go value.
func jsonValue(v constant.Value) (any, error) {
	switch v.Kind() {
	case constant.Bool:
		return constant.BoolVal(v), nil
	case constant.String:
		return constant.StringVal(v), nil
	case constant.Int:
		if n, ok := constant.Int64Val(v); ok {
			return n, nil
		}
		if n, ok := constant.Uint64Val(v); ok {
			return n, nil
		}
	}
	return nil, fmt.Errorf("constant %s has no JSON form", v)
}

// snake turns a Go field name into the output's key: Code -> code, ReasonText -> reason_text.
func snake(name string) string {
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

type entry = map[string]any

// values reports every package-level variable of p initialised with a literal of typeName.
func (l *loader) values(p *pkg, typeName string) ([]entry, error) {
	var out []entry
	for _, v := range p.vars {
		if v.lit == nil || v.typeName != typeName {
			continue
		}
		fields, err := l.fields(p, v)
		if err != nil {
			return nil, err
		}
		e := entry{"name": v.name, "file": filepath.Base(v.pos.Filename)}
		for name, val := range fields {
			j, err := jsonValue(val)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", v.name, name, err)
			}
			e[snake(name)] = j
		}
		out = append(out, e)
	}
	sortEntries(out)
	return out, nil
}

func sortEntries(es []entry) {
	sort.Slice(es, func(i, j int) bool {
		ci, cj := fmt.Sprint(es[i]["code"]), fmt.Sprint(es[j]["code"])
		if len(ci) != len(cj) {
			return len(ci) < len(cj)
		}
		if ci != cj {
			return ci < cj
		}
		return es[i]["name"].(string) < es[j]["name"].(string)
	})
}

// unsubscribeCodes reports every constant named UnsubscribeCode*, with the reason of
// the library's Unsubscribe values that carry that code, when there is one.
func (l *loader) unsubscribeCodes(p *pkg) ([]entry, error) {
	unsubscribes, err := l.values(p, "Unsubscribe")
	if err != nil {
		return nil, err
	}
	var out []entry
	for name, c := range p.consts {
		if !strings.HasPrefix(name, "UnsubscribeCode") {
			continue
		}
		v, err := l.constant(p, name)
		if err != nil {
			return nil, err
		}
		code, err := jsonValue(v)
		if err != nil {
			return nil, err
		}
		e := entry{"name": name, "file": filepath.Base(p.fset.Position(c.file.Pos()).Filename), "code": code}
		for _, u := range unsubscribes {
			if fmt.Sprint(u["code"]) == fmt.Sprint(code) {
				if _, dup := e["reason"]; dup {
					return nil, fmt.Errorf("two Unsubscribe values carry code %v", code)
				}
				e["reason"] = u["reason"]
				e["value"] = u["name"]
			}
		}
		out = append(out, e)
	}
	sortEntries(out)
	return out, nil
}

// mapping is one switch on an API error's code: which transport it maps to, the
// answer for each code and the default branch's answer.
type mapping struct {
	Function  string         `json:"function"`
	Transport string         `json:"transport"`
	Cases     map[string]any `json:"cases"`
	Default   any            `json:"default"`
}

// grpcNames maps each gRPC code's number to its canonical name, from the codes
// package's own table of names (strToCode) that status parsing uses.
func (l *loader) grpcNames(p *pkg) (map[int64]string, error) {
	v, ok := p.vars["strToCode"]
	if !ok || v.lit == nil {
		return nil, fmt.Errorf("%s: no strToCode table", p.path)
	}
	names := map[int64]string{}
	for _, elt := range v.lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return nil, fmt.Errorf("%s: strToCode entry is not key: value", p.path)
		}
		key, err := l.eval(p, v.file, kv.Key, -1)
		if err != nil {
			return nil, err
		}
		// The keys are JSON strings, quotes included: `"NOT_FOUND"`.
		name, err := strconv.Unquote(constant.StringVal(key))
		if err != nil {
			return nil, fmt.Errorf("%s: strToCode key %s: %v", p.path, key, err)
		}
		code, err := l.eval(p, v.file, kv.Value, -1)
		if err != nil {
			return nil, err
		}
		n, _ := constant.Int64Val(code)
		names[n] = name
	}
	return names, nil
}

// mappings finds every switch on X.Code in p whose branches return a net/http or gRPC
// codes constant.
func (l *loader) mappings(p *pkg) ([]mapping, error) {
	var out []mapping
	var failure error
	for _, f := range p.files {
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				sw, ok := n.(*ast.SwitchStmt)
				if !ok || failure != nil {
					return failure == nil
				}
				if sel, ok := sw.Tag.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Code" {
					return true
				}
				m, err := l.mapping(p, f, fn.Name.Name, sw)
				if err != nil {
					failure = err
				} else if m != nil {
					out = append(out, *m)
				}
				return true
			})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Transport < out[j].Transport })
	return out, failure
}

func (l *loader) mapping(p *pkg, f *ast.File, function string, sw *ast.SwitchStmt) (*mapping, error) {
	m := &mapping{Function: function, Cases: map[string]any{}}
	var names map[int64]string
	for _, stmt := range sw.Body.List {
		clause := stmt.(*ast.CaseClause)
		var ret *ast.SelectorExpr
		for _, s := range clause.Body {
			if r, ok := s.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
				ret, _ = r.Results[0].(*ast.SelectorExpr)
				break
			}
		}
		if ret == nil {
			return nil, nil
		}
		qualifier, ok := ret.X.(*ast.Ident)
		if !ok {
			return nil, nil
		}
		path, ok := importOf(f, qualifier.Name)
		if !ok {
			return nil, nil
		}
		transport := map[string]string{httpPackage: "http", grpcCodesPackage: "grpc"}[path]
		if transport == "" {
			return nil, nil
		}
		if m.Transport != "" && m.Transport != transport {
			return nil, fmt.Errorf("%s: a switch that returns both HTTP and gRPC codes", function)
		}
		m.Transport = transport
		v, err := l.eval(p, f, ret, -1)
		if err != nil {
			return nil, err
		}
		n, _ := constant.Int64Val(v)
		var answer any = n
		if transport == "grpc" {
			if names == nil {
				codes, err := l.load(grpcCodesPackage, "")
				if err != nil {
					return nil, err
				}
				if names, err = l.grpcNames(codes); err != nil {
					return nil, err
				}
			}
			name, ok := names[n]
			if !ok {
				return nil, fmt.Errorf("%s: gRPC code %d has no canonical name", function, n)
			}
			answer = name
		}
		if clause.List == nil {
			m.Default = answer
			continue
		}
		for _, expr := range clause.List {
			code, err := l.eval(p, f, expr, -1)
			if err != nil {
				return nil, fmt.Errorf("%s: case %w", function, err)
			}
			key := code.ExactString()
			if _, dup := m.Cases[key]; dup {
				return nil, fmt.Errorf("%s: code %s in two cases", function, key)
			}
			m.Cases[key] = answer
		}
	}
	if m.Transport == "" {
		return nil, nil
	}
	return m, nil
}

// run reads the pinned modules; libraryDir and serverDir, when not empty, stand in for
// their folders in the module cache (the tests point them at edited copies).
func run(dir, libraryDir, serverDir string) (map[string]any, error) {
	env := append(os.Environ(), "GOFLAGS=-mod=readonly", "GOTOOLCHAIN=local")
	l := &loader{dir: dir, pkgs: map[string]*pkg{}, goEnv: env}
	library, err := l.module(libraryModule)
	if err != nil {
		return nil, err
	}
	server, err := l.module(serverModule)
	if err != nil {
		return nil, err
	}
	if libraryDir != "" {
		library.Dir = libraryDir
	}
	if serverDir != "" {
		server.Dir = serverDir
	}
	lib, err := l.load(libraryModule, library.Dir)
	if err != nil {
		return nil, err
	}
	api, err := l.load(serverAPIPackage, filepath.Join(server.Dir, "internal", "apiproto"))
	if err != nil {
		return nil, err
	}
	disconnects, err := l.values(lib, "Disconnect")
	if err != nil {
		return nil, err
	}
	errs, err := l.values(lib, "Error")
	if err != nil {
		return nil, err
	}
	unsubscribes, err := l.unsubscribeCodes(lib)
	if err != nil {
		return nil, err
	}
	apiErrors, err := l.values(api, "Error")
	if err != nil {
		return nil, err
	}
	maps, err := l.mappings(api)
	if err != nil {
		return nil, err
	}
	defaults := entry{}
	for _, m := range maps {
		key := m.Transport + "_status"
		if _, dup := defaults[key]; dup {
			return nil, fmt.Errorf("two %s mappings of API error codes (%s)", m.Transport, m.Function)
		}
		defaults[key] = m.Default
		for _, e := range apiErrors {
			code := fmt.Sprint(e["code"])
			if answer, ok := m.Cases[code]; ok {
				e[key] = answer
			}
		}
	}
	return map[string]any{
		"modules":           []module{library, server},
		"disconnects":       disconnects,
		"errors":            errs,
		"unsubscribe_codes": unsubscribes,
		"api_errors":        apiErrors,
		"api_error_default": defaults,
		"api_error_maps":    maps,
	}, nil
}

func main() {
	dir := flag.String("C", ".", "the folder of the Go module that pins both components (tests/live)")
	libraryDir := flag.String("library", "", "read the library from this folder instead of the module cache")
	serverDir := flag.String("server", "", "read Centrifugo from this folder instead of the module cache")
	flag.Parse()
	out, err := run(*dir, *libraryDir, *serverDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "driftguard:", err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "driftguard:", err)
		os.Exit(1)
	}
}
