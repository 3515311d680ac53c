using System.Diagnostics;
using System.Text.Json;

namespace SequentialNet.Benchmark;

/// <summary>
/// The PyTorch / numpy side: finds a Python that can import torch (Debian's python3-torch lives under the
/// system interpreter, which may not be the first python3 on PATH) and runs torch_reference.py.
/// </summary>
internal sealed class PythonReference
{
    private static readonly string[] Candidates = ["/usr/bin/python3", "python3"];
    // Tuning overrides some machines set for an older OpenBLAS; they slow a current one. Removed for the child only.
    private static readonly string[] UnsetVariables = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"];

    private readonly string _python;
    private readonly string _script;

    private PythonReference(string python, string script, JsonElement probe)
    {
        _python = python;
        _script = script;
        TorchVersion = probe.TryGetProperty("torch", out var t) ? t.GetString() : null;
        NumpyVersion = probe.TryGetProperty("numpy", out var n) ? n.GetString() : null;
        Blas = probe.TryGetProperty("blas", out var b) ? b.GetString() : null;
        PythonVersion = probe.TryGetProperty("python", out var p) ? p.GetString() : null;
    }

    public string Interpreter => _python;
    public string? TorchVersion { get; }
    public string? NumpyVersion { get; }
    public string? Blas { get; }
    public string? PythonVersion { get; }
    public bool HasTorch => TorchVersion != null;

    /// <summary>
    /// The first candidate that imports torch, else the first that imports numpy (GEMM figures only), else null;
    /// <paramref name="why"/> says in one line what is missing.
    /// </summary>
    public static PythonReference? Find(out string? why)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "torch_reference.py");
        if (!File.Exists(script))
        {
            why = $"torch_reference.py is missing beside the benchmark ({script})";
            return null;
        }
        PythonReference? numpyOnly = null;
        var tried = new List<string>();
        foreach (var python in Candidates)
        {
            var candidate = Probe(python, script, out string outcome);
            tried.Add($"{python}: {outcome}");
            if (candidate is { HasTorch: true })
            {
                why = null;
                return candidate;
            }
            if (candidate is { NumpyVersion: not null }) numpyOnly ??= candidate;
        }
        why = "no Python that can import torch (" + string.Join("; ", tried) + ")";
        return numpyOnly;
    }

    private static PythonReference? Probe(string python, string script, out string outcome)
    {
        try
        {
            var psi = StartInfo(python, script, threads: 1);
            psi.ArgumentList.Add("--probe");
            var (code, stdout, stderr) = ProcessRunner.Run(psi, TimeSpan.FromMinutes(1));
            if (code != 0)
            {
                outcome = $"exit code {code}: {ProcessRunner.LastLine(stderr)}";
                return null;
            }
            using var doc = JsonDocument.Parse(ProcessRunner.LastLine(stdout));
            var root = doc.RootElement.Clone();
            outcome = root.TryGetProperty("torch_error", out var e) ? e.GetString() ?? "no torch" : "ok";
            return new PythonReference(python, script, root);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or JsonException or InvalidOperationException)
        {
            outcome = ex is System.ComponentModel.Win32Exception ? "not found" : ex.Message;
            return null;
        }
    }

    /// <summary>Runs the script with the BLAS and OpenMP thread counts fixed to <paramref name="threads"/>.</summary>
    public JsonElement Run(int threads, TimeSpan timeout, params string[] args)
    {
        var psi = StartInfo(_python, _script, threads);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var (code, stdout, stderr) = ProcessRunner.Run(psi, timeout);
        if (code != 0)
            throw new InvalidOperationException($"{_python} torch_reference.py exited with {code}: {ProcessRunner.LastLine(stderr)}");
        using var doc = JsonDocument.Parse(ProcessRunner.LastLine(stdout));
        return doc.RootElement.Clone();
    }

    private static ProcessStartInfo StartInfo(string python, string script, int threads)
    {
        var psi = new ProcessStartInfo(python);
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add("--threads");
        psi.ArgumentList.Add(threads.ToString());
        foreach (var name in UnsetVariables) psi.Environment.Remove(name);
        foreach (var name in (string[])["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"])
            psi.Environment[name] = threads.ToString();
        return psi;
    }
}
