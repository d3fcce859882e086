// Command render renders a Helm chart the way `helm template` does, for machines without helm: Go's text/template
// with Sprig and the functions Helm adds (include, tpl, required, toYaml, fromYaml, toJson, fromJson, lookup), the
// built-in objects (.Values, .Release, .Chart, .Capabilities, .Template), values merged from -f files over the
// chart's values.yaml, and the merged values checked against values.schema.json before anything renders.
//
// Built in GOPATH mode against Debian's packaged libraries:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o render ./helm/render
//	render --chart helm/tablestakes -f helm/tablestakes/values-prod.yaml --release tablestakes
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/semver"
	sprig "github.com/Masterminds/sprig"
	"github.com/xeipuuv/gojsonschema"
	yaml2 "gopkg.in/yaml.v2"
	yaml3 "gopkg.in/yaml.v3"
)

// Helm caps include/tpl recursion the same way, so a template that includes itself fails instead of hanging.
const maxIncludeDepth = 1000

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// VersionSet is .Capabilities.APIVersions: `Has "monitoring.coreos.com/v1"` or `Has "apps/v1/StatefulSet"`.
type VersionSet []string

func (s VersionSet) Has(version string) bool {
	for _, v := range s {
		if v == version {
			return true
		}
	}
	return false
}

// The API versions a 1.34 cluster serves for the kinds a chart is likely to ask about; --api-versions adds CRDs.
var builtinAPIVersions = []string{
	"v1", "apps/v1", "batch/v1", "policy/v1", "autoscaling/v1", "autoscaling/v2", "networking.k8s.io/v1",
	"rbac.authorization.k8s.io/v1", "apiextensions.k8s.io/v1", "scheduling.k8s.io/v1", "storage.k8s.io/v1",
	"coordination.k8s.io/v1", "discovery.k8s.io/v1", "admissionregistration.k8s.io/v1",
}

type kubeVersion struct {
	Version    string
	Major      string
	Minor      string
	GitVersion string
}

func main() {
	var (
		chartDir    = flag.String("chart", "", "chart directory (with Chart.yaml)")
		release     = flag.String("release", "release-name", "release name")
		namespace   = flag.String("namespace", "default", "release namespace")
		revision    = flag.Int("revision", 1, "release revision")
		upgrade     = flag.Bool("upgrade", false, "render as an upgrade (.Release.IsUpgrade)")
		kubeVer     = flag.String("kube-version", "1.34.0", "Kubernetes version for .Capabilities.KubeVersion")
		valueFiles  listFlag
		apiVersions listFlag
	)
	flag.Var(&valueFiles, "f", "values file, merged over the chart's values.yaml in order (repeatable)")
	flag.Var(&valueFiles, "values", "same as -f")
	flag.Var(&apiVersions, "api-versions", "extra API version for .Capabilities.APIVersions (repeatable, comma-separated)")
	flag.Parse()
	if *chartDir == "" {
		fmt.Fprintln(os.Stderr, "usage: render --chart DIR [-f values.yaml]... [--release NAME] [--namespace NS]")
		os.Exit(2)
	}
	out, err := render(options{
		chartDir: *chartDir, release: *release, namespace: *namespace, revision: *revision, upgrade: *upgrade,
		kubeVersion: *kubeVer, valueFiles: valueFiles, apiVersions: splitAll(apiVersions),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
	os.Stdout.WriteString(out)
}

type options struct {
	chartDir, release, namespace, kubeVersion string
	revision                                  int
	upgrade                                   bool
	valueFiles, apiVersions                   []string
}

func splitAll(items []string) []string {
	var out []string
	for _, item := range items {
		for _, v := range strings.Split(item, ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

func render(o options) (string, error) {
	chart, err := readYAMLMap(filepath.Join(o.chartDir, "Chart.yaml"))
	if err != nil {
		return "", err
	}
	name, _ := chart["name"].(string)
	if name == "" {
		return "", errors.New("Chart.yaml has no name")
	}
	kv, err := parseKubeVersion(o.kubeVersion)
	if err != nil {
		return "", err
	}
	if constraint, ok := chart["kubeVersion"].(string); ok && constraint != "" {
		c, err := semver.NewConstraint(constraint)
		if err != nil {
			return "", fmt.Errorf("Chart.yaml kubeVersion %q: %w", constraint, err)
		}
		if !c.Check(semver.MustParse(kv.Version)) {
			return "", fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", constraint, kv.Version)
		}
	}

	values, err := readYAMLMap(filepath.Join(o.chartDir, "values.yaml"))
	if err != nil {
		return "", err
	}
	for _, file := range o.valueFiles {
		override, err := readYAMLMap(file)
		if err != nil {
			return "", err
		}
		values = coalesce(values, override)
	}
	if err := validateSchema(o.chartDir, name, values); err != nil {
		return "", err
	}

	top := map[string]interface{}{
		"Values": values,
		"Release": map[string]interface{}{
			"Name": o.release, "Namespace": o.namespace, "Revision": o.revision,
			"IsInstall": !o.upgrade, "IsUpgrade": o.upgrade, "Service": "Helm",
		},
		"Chart": chartObject(chart),
		"Capabilities": map[string]interface{}{
			"KubeVersion": kv,
			"APIVersions": VersionSet(append(append([]string{}, builtinAPIVersions...), o.apiVersions...)),
			"HelmVersion": map[string]interface{}{"Version": "v3.16.0"},
		},
	}

	files, err := templateFiles(filepath.Join(o.chartDir, "templates"))
	if err != nil {
		return "", err
	}
	t := template.New(name).Option("missingkey=zero")
	t.Funcs(funcMap(t))
	for _, file := range files {
		text, err := os.ReadFile(file.path)
		if err != nil {
			return "", err
		}
		if _, err := t.New(name + "/templates/" + file.rel).Parse(string(text)); err != nil {
			return "", err
		}
	}

	var out strings.Builder
	for _, file := range files {
		base := filepath.Base(file.rel)
		if strings.HasPrefix(base, "_") || strings.EqualFold(base, "NOTES.txt") {
			continue
		}
		templateName := name + "/templates/" + file.rel
		top["Template"] = map[string]interface{}{"Name": templateName, "BasePath": name + "/templates"}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, templateName, top); err != nil {
			return "", err
		}
		// Helm renders with missingkey=zero and then blanks what text/template prints for a missing value.
		rendered := strings.ReplaceAll(buf.String(), "<no value>", "")
		for _, doc := range splitDocuments(rendered) {
			fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", templateName, doc)
		}
	}
	return out.String(), nil
}

type templateFile struct{ path, rel string }

func templateFiles(dir string) ([]templateFile, error) {
	var files []templateFile
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files = append(files, templateFile{path: path, rel: filepath.ToSlash(rel)})
		return nil
	})
	sort.Slice(files, func(i, j int) bool { return files[i].rel < files[j].rel })
	return files, err
}

var documentSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// Documents that hold only whitespace or comments are dropped, as Helm does.
func splitDocuments(text string) []string {
	var docs []string
	for _, doc := range documentSeparator.Split(text, -1) {
		meaningful := false
		for _, line := range strings.Split(doc, "\n") {
			trimmed := strings.TrimSpace(line)
			if trimmed != "" && !strings.HasPrefix(trimmed, "#") {
				meaningful = true
				break
			}
		}
		if meaningful {
			docs = append(docs, strings.Trim(doc, "\n"))
		}
	}
	return docs
}

func parseKubeVersion(version string) (kubeVersion, error) {
	v, err := semver.NewVersion(strings.TrimPrefix(version, "v"))
	if err != nil {
		return kubeVersion{}, fmt.Errorf("--kube-version %q: %w", version, err)
	}
	full := fmt.Sprintf("v%d.%d.%d", v.Major(), v.Minor(), v.Patch())
	return kubeVersion{Version: full, Major: fmt.Sprint(v.Major()), Minor: fmt.Sprint(v.Minor()), GitVersion: full}, nil
}

// chartObject gives Chart.yaml's fields the capitalised names templates use (.Chart.Name, .Chart.AppVersion).
func chartObject(chart map[string]interface{}) map[string]interface{} {
	names := map[string]string{
		"apiVersion": "APIVersion", "name": "Name", "version": "Version", "appVersion": "AppVersion",
		"description": "Description", "type": "Type", "kubeVersion": "KubeVersion", "home": "Home",
		"keywords": "Keywords", "annotations": "Annotations",
	}
	out := map[string]interface{}{}
	for key, value := range chart {
		if mapped, ok := names[key]; ok {
			out[mapped] = value
		}
	}
	return out
}

// readYAMLMap parses YAML into the same shapes Helm sees: JSON types, so every number is a float64.
func readYAMLMap(path string) (map[string]interface{}, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw interface{}
	if err := yaml3.Unmarshal(text, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if raw == nil {
		return map[string]interface{}{}, nil
	}
	normalised, err := jsonRoundTrip(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m, ok := normalised.(map[string]interface{})
	if !ok {
		return nil, fmt.Errorf("%s: top level is not a map", path)
	}
	return m, nil
}

func jsonRoundTrip(v interface{}) (interface{}, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out interface{}
	err = json.Unmarshal(data, &out)
	return out, err
}

// coalesce merges override into base as Helm merges -f files: maps merge key by key, anything else replaces, and a
// null removes the key.
func coalesce(base, override map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range override {
		if v == nil {
			delete(out, k)
			continue
		}
		baseMap, baseIsMap := out[k].(map[string]interface{})
		overrideMap, overrideIsMap := v.(map[string]interface{})
		if baseIsMap && overrideIsMap {
			out[k] = coalesce(baseMap, overrideMap)
		} else {
			out[k] = v
		}
	}
	return out
}

func validateSchema(chartDir, chartName string, values map[string]interface{}) error {
	schemaPath := filepath.Join(chartDir, "values.schema.json")
	schema, err := os.ReadFile(schemaPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	result, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewGoLoader(values))
	if err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	if result.Valid() {
		return nil
	}
	var msg strings.Builder
	fmt.Fprintf(&msg, "values don't meet the specifications of the schema(s) in the following chart(s):\n%s:\n", chartName)
	for _, problem := range result.Errors() {
		fmt.Fprintf(&msg, "- %s\n", problem)
	}
	return errors.New(strings.TrimSuffix(msg.String(), "\n"))
}

func funcMap(t *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	// Helm removes these so a chart cannot read the machine it is rendered on.
	delete(f, "env")
	delete(f, "expandenv")

	depth := 0
	f["include"] = func(name string, data interface{}) (string, error) {
		if depth > maxIncludeDepth {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		depth++
		defer func() { depth-- }()
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := t.Clone()
		if err != nil {
			return "", err
		}
		parsed, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %w", text, err)
		}
		var buf bytes.Buffer
		if err := parsed.Execute(&buf, data); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	f["required"] = func(message string, value interface{}) (interface{}, error) {
		if value == nil {
			return nil, errors.New(message)
		}
		if s, ok := value.(string); ok && s == "" {
			return nil, errors.New(message)
		}
		return value, nil
	}
	f["toYaml"] = func(v interface{}) string {
		// Through JSON first, as Helm's sigs.k8s.io/yaml does: keys sorted, JSON field names, 2-space indent.
		normalised, err := jsonRoundTrip(v)
		if err != nil {
			return ""
		}
		data, err := yaml2.Marshal(normalised)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	f["fromYaml"] = func(text string) map[string]interface{} {
		var raw interface{}
		if err := yaml3.Unmarshal([]byte(text), &raw); err != nil {
			return map[string]interface{}{"Error": err.Error()}
		}
		normalised, _ := jsonRoundTrip(raw)
		m, _ := normalised.(map[string]interface{})
		if m == nil {
			m = map[string]interface{}{}
		}
		return m
	}
	f["toJson"] = func(v interface{}) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	}
	f["fromJson"] = func(text string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(text), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	// Rendering offline, as `helm template` does: nothing exists in the cluster yet.
	f["lookup"] = func(apiVersion, kind, namespace, name string) map[string]interface{} {
		return map[string]interface{}{}
	}
	return f
}
