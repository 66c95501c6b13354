// Command pulumi-language-nodejs is a small Node.js language host for the Pulumi engine.
//
// Pulumi's own host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is not
// served by the Go module proxy we can reach, and release binaries cannot be downloaded here. The
// engine only needs a gRPC LanguageRuntime that starts Node on the entry points @pulumi/pulumi ships
// (cmd/run for programs, cmd/run-policy-pack and cmd/run-plugin for plugins), so this host does
// exactly that and nothing more: no dependency installation, no code generation, no package
// discovery (programs that use resource plugins other than dynamic providers are out of scope).
//
// Protocol, as the engine speaks it: the engine starts the host with `[-flag=value ...] ENGINE_ADDR`,
// reads one line with the port from stdout, then calls Run / RunPlugin over gRPC.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "0.0.0-dev"

// exitAfterUserActionableMessage is the exit code @pulumi/pulumi's cmd/run uses when it has already
// printed the error for the user; the host must then bail without adding a message of its own.
const exitAfterUserActionableMessage = 32

func main() {
	options, positional := parseArgs(os.Args[1:])
	if len(positional) < 1 {
		fmt.Fprintln(os.Stderr, "usage: pulumi-language-nodejs [-option=value ...] ENGINE_ADDRESS")
		os.Exit(2)
	}
	host := &languageHost{engineAddress: positional[0], options: options}

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: listen: %v\n", err)
		os.Exit(1)
	}
	server := grpc.NewServer(grpc.MaxRecvMsgSize(400 * 1024 * 1024))
	pulumirpc.RegisterLanguageRuntimeServer(server, host)
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", listener.Addr().(*net.TCPAddr).Port)
	if err := server.Serve(listener); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: serve: %v\n", err)
		os.Exit(1)
	}
}

// parseArgs splits `-key=value` options (runtime options from Pulumi.yaml and engine flags such as
// -root or -tracing) from positional arguments. Unknown options are kept, never fatal: the engine adds
// flags over time and a host that exits on one would break every program.
func parseArgs(args []string) (map[string]string, []string) {
	options := map[string]string{}
	var positional []string
	for _, arg := range args {
		if strings.HasPrefix(arg, "-") {
			key, value, found := strings.Cut(strings.TrimLeft(arg, "-"), "=")
			if !found {
				value = "true"
			}
			options[key] = value
			continue
		}
		positional = append(positional, arg)
	}
	return options, positional
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	options       map[string]string

	mu      sync.Mutex
	running []*exec.Cmd
}

func (h *languageHost) Handshake(
	_ context.Context, _ *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetRequiredPlugins reports none: dynamic providers run in the `pulumi-nodejs` plugin that the
// toolchain puts on PATH, and this host does not scan node_modules for other resource plugins.
func (h *languageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *languageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *languageHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *languageHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	nodeVersion, _ := exec.Command("node", "--version").Output()
	return &pulumirpc.AboutResponse{Executable: "node", Version: strings.TrimSpace(string(nodeVersion))}, nil
}

// InstallDependencies does nothing: this repository's `npm install` has installed them already.
func (h *languageHost) InstallDependencies(
	*pulumirpc.InstallDependenciesRequest, grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	return nil
}

func (h *languageHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, cmd := range h.running {
		if cmd.Process != nil {
			_ = cmd.Process.Signal(os.Interrupt)
		}
	}
	return &emptypb.Empty{}, nil
}

// Run starts the user's program under @pulumi/pulumi's cmd/run, with the settings it reads from flags
// and the stack config it reads from PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	programDir := req.GetInfo().GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	runScript, err := findSDKFile(programDir, "cmd", "run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	entryPoint := req.GetInfo().GetEntryPoint()
	if entryPoint == "" {
		entryPoint = "."
	}
	args := []string{runScript,
		"--monitor=" + req.GetMonitorAddress(),
		"--engine=" + h.engineAddress,
		"--project=" + req.GetProject(),
		"--stack=" + req.GetStack(),
		"--pwd=" + req.GetPwd(),
		"--parallel=" + strconv.Itoa(int(req.GetParallel())),
	}
	if root := req.GetInfo().GetRootDirectory(); root != "" {
		args = append(args, "--root-directory="+root)
	}
	if org := req.GetOrganization(); org != "" {
		args = append(args, "--organization="+org)
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	// cmd/run treats a literal "." as "no entry point given: use package.json's exports or main",
	// so keep the entry point relative when the program directory is the working directory.
	program := entryPoint
	if filepath.Clean(programDir) != filepath.Clean(req.GetPwd()) {
		program = filepath.Join(programDir, entryPoint)
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, status.Errorf(codes.Internal, "encoding config: %v", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "encoding config secret keys: %v", err)
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
	)
	env = append(env, h.typescriptEnv()...)

	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	code, err := h.runTracked(cmd)
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not start node: %v", err)}, nil
	}
	switch code {
	case 0:
		return &pulumirpc.RunResponse{}, nil
	case exitAfterUserActionableMessage:
		return &pulumirpc.RunResponse{Bail: true}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}, nil
	}
}

// typescriptEnv maps the documented runtime options of Pulumi.yaml (`runtime.options`) onto the
// environment variables @pulumi/pulumi's cmd/run reads.
func (h *languageHost) typescriptEnv() []string {
	// TypeScript support is on unless Pulumi.yaml turns it off, as in Pulumi's own host.
	typescript := "true"
	if v, ok := h.options["typescript"]; ok {
		typescript = v
	}
	env := []string{"PULUMI_NODEJS_TYPESCRIPT=" + typescript}
	if v, ok := h.options["tsconfig"]; ok {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+v)
	}
	return env
}

// RunPlugin starts a plugin written for Node: a policy pack (the engine's analyzers) through
// cmd/run-policy-pack, anything else through cmd/run-plugin. Output is streamed back to the engine,
// which reads the plugin's port from it.
func (h *languageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	programDir := req.GetInfo().GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	entry := "run-plugin"
	if req.GetKind() == "analyzer" {
		entry = "run-policy-pack"
	}
	script, err := findSDKFile(programDir, "cmd", entry)
	if err != nil {
		return status.Error(codes.FailedPrecondition, err.Error())
	}
	args := append([]string{script}, req.GetArgs()...)
	args = append(args, programDir)

	cmd := exec.CommandContext(server.Context(), "node", args...)
	cmd.Dir = programDir
	cmd.Env = append(os.Environ(), req.GetEnv()...)
	stdout := &streamWriter{send: func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	}}
	stderr := &streamWriter{send: func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	}}
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	code, err := h.runTracked(cmd)
	if err != nil {
		return status.Errorf(codes.Internal, "could not start node: %v", err)
	}
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)}})
}

// streamWriter forwards process output to a gRPC stream; one mutex for both pipes because a gRPC
// stream must not be written from two goroutines at once.
type streamWriter struct {
	send func([]byte) error
}

var streamMu sync.Mutex

func (w *streamWriter) Write(p []byte) (int, error) {
	streamMu.Lock()
	defer streamMu.Unlock()
	chunk := append([]byte(nil), p...)
	if err := w.send(chunk); err != nil {
		return 0, err
	}
	return len(p), nil
}

var _ io.Writer = (*streamWriter)(nil)

// runTracked runs cmd to completion and returns its exit code, keeping it visible to Cancel.
func (h *languageHost) runTracked(cmd *exec.Cmd) (int, error) {
	if err := cmd.Start(); err != nil {
		return -1, err
	}
	h.mu.Lock()
	h.running = append(h.running, cmd)
	h.mu.Unlock()
	err := cmd.Wait()
	h.mu.Lock()
	for i, c := range h.running {
		if c == cmd {
			h.running = append(h.running[:i], h.running[i+1:]...)
			break
		}
	}
	h.mu.Unlock()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitErr.ExitCode(), nil
	}
	if err != nil {
		return -1, err
	}
	return 0, nil
}

// findSDKFile locates node_modules/@pulumi/pulumi/<parts...> from dir upwards, as Node's own module
// resolution would from the program's directory.
func findSDKFile(dir string, parts ...string) (string, error) {
	start, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := start; ; d = filepath.Dir(d) {
		candidate := filepath.Join(append([]string{d, "node_modules", "@pulumi", "pulumi"}, parts...)...)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return "", fmt.Errorf("could not find @pulumi/pulumi/%s from %s: run `npm install` in the program's directory",
		strings.Join(parts, "/"), start)
}
