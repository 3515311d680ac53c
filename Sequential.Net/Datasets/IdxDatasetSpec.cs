namespace SequentialNet.Datasets;

/// <summary>
/// Describes one MNIST-style dataset: its four IDX files, where it is installed on some systems, and where
/// it is downloaded from with which SHA-256 checksums.
/// </summary>
/// <param name="Name">Folder name under the cache and under <c>$SEQUENTIAL_NET_DATA</c>, e.g. <c>fashion-mnist</c>.</param>
/// <param name="DisplayName">Name used in messages, e.g. <c>Fashion-MNIST</c>.</param>
/// <param name="DefaultBaseUrl">Folder URL the <c>.gz</c> files are downloaded from (ends with '/').</param>
/// <param name="Sha256">Expected lower-case hex SHA-256 of each downloaded file, keyed by <c>&lt;file&gt;.gz</c>.</param>
/// <param name="SystemFolders">Folders a system package installs the files into, with a description each.</param>
/// <param name="InstallHint">A command that installs the data system-wide, or null when there is none.</param>
internal sealed record IdxDatasetSpec(
    string Name,
    string DisplayName,
    Uri DefaultBaseUrl,
    IReadOnlyDictionary<string, string> Sha256,
    IReadOnlyList<(string Folder, string Source)> SystemFolders,
    string? InstallHint)
{
    /// <summary>Base name of the training images file.</summary>
    public const string TrainImages = "train-images-idx3-ubyte";

    /// <summary>Base name of the training labels file.</summary>
    public const string TrainLabels = "train-labels-idx1-ubyte";

    /// <summary>Base name of the test images file.</summary>
    public const string TestImages = "t10k-images-idx3-ubyte";

    /// <summary>Base name of the test labels file.</summary>
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>The four files every MNIST-style dataset consists of, in download order.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];
}
