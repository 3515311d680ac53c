namespace SequentialNet.Datasets;

/// <summary>
/// The MNIST handwritten digits (LeCun, Cortes and Burges): 60,000 training and 10,000 test images of
/// 28×28 gray pixels, labels 0..9. Like <c>keras.datasets.mnist.load_data()</c>.
/// </summary>
public static class Mnist
{
    /// <summary>The dataset's files, sources and checksums.</summary>
    /// <remarks>
    /// SHA-256 values of the gzip files at https://storage.googleapis.com/cvdf-datasets/mnist/, as published in
    /// tensorflow/datasets (tensorflow_datasets/url_checksums/mnist.txt, which lists these same URLs and the
    /// sizes 9912422, 28881, 1648877, 4542 bytes); an independent hash table (Connor Olding's "mnists" script)
    /// lists the same four values. Not verified against a local copy: no MNIST package exists on Debian.
    /// </remarks>
    internal static IdxDatasetSpec Spec { get; } = new(
        Name: "mnist",
        DisplayName: "MNIST",
        DefaultBaseUrl: new Uri("https://storage.googleapis.com/cvdf-datasets/mnist/"),
        Sha256: new Dictionary<string, string>
        {
            ["train-images-idx3-ubyte.gz"] = "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            ["train-labels-idx1-ubyte.gz"] = "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            ["t10k-images-idx3-ubyte.gz"] = "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            ["t10k-labels-idx1-ubyte.gz"] = "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        },
        SystemFolders: [],
        InstallHint: null);

    /// <summary>
    /// Loads MNIST as <c>((xTrain, yTrain), (xTest, yTest))</c>: x of shape (60000, 28, 28) and (10000, 28, 28)
    /// holding the raw pixel values 0..255 as floats (unscaled, like Keras: divide by 255 yourself), y of shape
    /// (60000) and (10000) holding the labels 0..9 as floats.
    /// </summary>
    /// <remarks>
    /// The four IDX files (<c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>,
    /// <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>, each raw or <c>.gz</c>) are read from the
    /// first of these places that holds all four: <paramref name="directory"/>; <c>$SEQUENTIAL_NET_DATA/mnist</c>;
    /// <c>$SEQUENTIAL_NET_DATA</c>; <c>~/.sequential-net/datasets/mnist</c>. Otherwise the missing files are
    /// downloaded into that last folder (from <c>$SEQUENTIAL_NET_DATASETS_URL/mnist/</c> when set, else from
    /// https://storage.googleapis.com/cvdf-datasets/mnist/), with a progress bar on standard error, and each
    /// is checked against its published SHA-256 before it is kept.
    /// </remarks>
    /// <param name="directory">A folder to look in first; null to use only the standard places.</param>
    /// <exception cref="DatasetNotFoundException">No place has the files and they could not be downloaded.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or truncated, or a download's checksum is wrong.</exception>
    public static ((Tensor xTrain, Tensor yTrain), (Tensor xTest, Tensor yTest)) LoadData(string? directory = null) =>
        new IdxDatasetLoader(Spec).Load(directory);
}
