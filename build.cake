// Build script. Cake is a local tool (.config/dotnet-tools.json):
//   dotnet tool restore
//   dotnet cake                      # = --target=Test
//   dotnet cake --target=Build|Test|Example|Bench|PackGpu
// Options: --configuration=Release (Build), --bench-args="--quick --no-torch" (Bench),
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

// DESIGN.md §8: the GPU machine has no .NET, so the tests and the benchmark travel as self-contained
// executables in one archive (keep it under 60 MB). Output: artifacts/gpu/ and artifacts/gpu.tar.xz.
// There: tar -xJf gpu.tar.xz && gpu/Sequential.Net.Tests --filter ... ; gpu/Benchmark
Task("PackGpu")
    .Description("Publishes the test project(s) and the benchmark self-contained for linux-x64 and packs them into artifacts/gpu.tar.xz.")
    .Does(() =>
{
    var root = MakeAbsolute(Directory("artifacts/gpu"));
    CleanDirectory(root);
    var projects = GetFiles("tests/*/*.Tests.csproj").Select(f => f.FullPath).ToList();
    projects.Add(MakeAbsolute(File("examples/Benchmark/Benchmark.csproj")).FullPath);
    // One folder for all of them, so the .NET runtime is in the archive once (same runtime version throughout).
    foreach (var project in projects)
        Dotnet($"publish \"{project}\" -c Release -r linux-x64 --self-contained -o \"{root}\"");
    int code = StartProcess("tar", new ProcessSettings
    {
        Arguments = "-cJf gpu.tar.xz gpu",
        WorkingDirectory = MakeAbsolute(Directory("artifacts")),
    });
    if (code != 0) throw new CakeException(code, "tar exited with code " + code);
    var size = new System.IO.FileInfo(MakeAbsolute(File("artifacts/gpu.tar.xz")).FullPath).Length;
    Information($"artifacts/gpu.tar.xz: {size / 1048576.0:F1} MB{(size > 60L * 1048576 ? " — over the 60 MB budget" : "")}");
});

Task("Default")
    .Description("= Test.")
    .IsDependentOn("Test");

RunTarget(target);
