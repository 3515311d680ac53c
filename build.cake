// Build script. Cake is a local tool (.config/dotnet-tools.json):
//   dotnet tool restore
//   dotnet cake                      # = --target=Test
//   dotnet cake --target=Build|Test|Example|Bench|Pack|GpuBundle
// Options: --configuration=Release (Build), --bench-args="--quick --no-torch" (Bench), --gpu-rids=linux-x64 (GpuBundle),
//          --example-args="10" (Example: the number of epochs).
// Every target runs the same dotnet command a person would type (see README.md), nothing more.

var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");
var benchArgs = Argument("bench-args", "");
var exampleArgs = Argument("example-args", "");

// Runs `dotnet <arguments>` in the repository root, streaming its output; fails the task on a non-zero exit.
void Dotnet(string arguments)
{
    Information($"> dotnet {arguments}");
    int code = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = arguments,
        WorkingDirectory = MakeAbsolute(Directory(".")),
    });
    if (code != 0) throw new CakeException(code, $"dotnet {arguments} exited with code {code}");
}

Task("Build")
    .Description("Builds the solution (Release by default).")
    .Does(() => Dotnet($"build Sequential.Net.sln -c {configuration}"));

Task("Test")
    .Description("Runs the README test command: dotnet test -c Release (global.json selects Microsoft.Testing.Platform).")
    .Does(() => Dotnet("test -c Release"));

Task("Example")
    .Description("Trains the seed MLP on Fashion-MNIST (or the built-in Digits set): examples/FashionMnist.")
    .Does(() => Dotnet($"run -c Release --project examples/FashionMnist {(exampleArgs.Length > 0 ? "-- " + exampleArgs : "")}".TrimEnd()));

Task("Bench")
    .Description("Runs the benchmark against PyTorch / numpy (examples/Benchmark, Release); prints a Markdown table.")
    .Does(() => Dotnet($"run -c Release --project examples/Benchmark {(benchArgs.Length > 0 ? "-- " + benchArgs : "")}".TrimEnd()));

// The NuGet packages (Sequential.Net, Sequential.Net.Cuda, Sequential.Net.Plots, Sequential.Net.Templates) with
// their symbols packages; the version is the one in Directory.Build.props. artifacts/ is git-ignored.
Task("Pack")
    .Description("Packs every packable project: dotnet pack Sequential.Net.sln -c Release -o artifacts/packages (.nupkg and .snupkg).")
    .Does(() =>
{
    CleanDirectory(MakeAbsolute(Directory("artifacts/packages")));
    Dotnet($"pack Sequential.Net.sln -c {configuration} -o artifacts/packages");
});

// docs/gpu-runs.md: the GPU machine has CUDA 13, PyTorch and no .NET, so the GPU tests and the benchmark travel
// as self-contained executables in one archive (under 60 MB) per runtime: linux-x64, and linux-arm64 for
// Grace-Hopper hosts. Both projects are published into ONE folder, artifacts/<rid>/gpu/, so the .NET runtime
// is in the archive once, with docs/gpu-run.sh as gpu/run.sh and the commit in gpu/COMMIT; artifacts/ is
// git-ignored. On the GPU machine (docs/gpu-runs.md):
//   tar -xJf gpu-bundle.tar.xz && gpu/run.sh      (writes one gpu-results-*.txt)
// --gpu-rids=linux-x64 publishes one runtime only.
const long GpuBundleBudget = 60L * 1000 * 1000;
var gpuRids = Argument("gpu-rids", "linux-x64,linux-arm64").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
Task("GpuBundle")
    .Description("Publishes tests/Sequential.Net.Cuda.Tests and examples/Benchmark self-contained for linux-x64 and linux-arm64 with docs/gpu-run.sh, packed into artifacts/gpu-bundle.tar.xz and artifacts/gpu-bundle-linux-arm64.tar.xz (each fails above 60 MB).")
    .Does(() =>
{
    string commit = "unknown";
    StartProcess("git", new ProcessSettings { Arguments = "rev-parse --short HEAD", RedirectStandardOutput = true, WorkingDirectory = MakeAbsolute(Directory(".")) }, out var lines);
    foreach (var line in lines) commit = line.Trim();
    foreach (var rid in gpuRids)
    {
        var stage = MakeAbsolute(Directory($"artifacts/{rid}"));
        var root = stage.Combine("gpu");
        CleanDirectory(root);
        string name = rid == "linux-x64" ? "gpu-bundle.tar.xz" : $"gpu-bundle-{rid}.tar.xz";
        var archive = MakeAbsolute(File($"artifacts/{name}")).FullPath;
        if (System.IO.File.Exists(archive)) System.IO.File.Delete(archive);
        foreach (var project in new[] { "tests/Sequential.Net.Cuda.Tests/Sequential.Net.Cuda.Tests.csproj", "examples/Benchmark/Benchmark.csproj" })
            Dotnet($"publish {project} -c Release -r {rid} --self-contained -p:SatelliteResourceLanguages=en -o \"{root}\"");
        var script = root.CombineWithFilePath("run.sh").FullPath;
        CopyFile("docs/gpu-run.sh", script);
        System.IO.File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);   // rwxr-xr-x
        System.IO.File.WriteAllText(root.CombineWithFilePath("COMMIT").FullPath, $"{commit} {rid}\n");
        int code = StartProcess("tar", new ProcessSettings
        {
            Arguments = $"-cJf ../{name} gpu",
            WorkingDirectory = stage,
        });
        if (code != 0) throw new CakeException(code, "tar exited with code " + code);
        long size = new System.IO.FileInfo(archive).Length;
        Information($"artifacts/{name}: {size / 1e6:F1} MB (budget {GpuBundleBudget / 1e6:F0} MB)");
        if (size > GpuBundleBudget) throw new CakeException($"artifacts/{name} is {size / 1e6:F1} MB, over the {GpuBundleBudget / 1e6:F0} MB budget");
    }
});

Task("PackGpu")
    .Description("Old name of GpuBundle.")
    .IsDependentOn("GpuBundle");

Task("Default")
    .Description("= Test.")
    .IsDependentOn("Test");

RunTarget(target);
