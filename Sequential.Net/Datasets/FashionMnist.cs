namespace SequentialNet.Datasets;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf, Zalando Research, 2017; MIT license): 60,000 training and 10,000
/// test images of 28×28 gray pixels showing clothing, labels 0..9 (T-shirt/top, Trouser, Pullover, Dress, Coat,
/// Sandal, Shirt, Sneaker, Bag, Ankle boot). Like <c>keras.datasets.fashion_mnist.load_data()</c>.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the four <c>.gz</c> files.</summary>
    internal const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The dataset's files, sources and checksums.</summary>
    /// <remarks>
    /// SHA-256 values of Zalando's original gzip files (26421880, 29515, 4422102, 5148 bytes), as published in
    /// tensorflow/datasets (tensorflow_datasets/url_checksums/fashion_mnist.txt) and matching the MD5 values in
    /// torchvision's FashionMNIST. Verified locally: Debian's dataset-fashion-mnist (0.0~git20200523.55506a9-1)
    /// ships the same deflate streams with the gzip header's file name and time stripped; putting them back
    /// (mtimes 2017-08-31 10:50:06/10:50:27 UTC) reproduces files with exactly these SHA-256 and torchvision's MD5.
    /// Keras downloads from the Google Storage mirror below, which serves files of the same sizes.
    /// </remarks>
    internal static IdxDatasetSpec Spec { get; } = new(
        Name: "fashion-mnist",
        DisplayName: "Fashion-MNIST",
        DefaultBaseUrl: new Uri("https://storage.googleapis.com/tensorflow/tf-keras-datasets/"),
        Sha256: new Dictionary<string, string>
        {
            ["train-images-idx3-ubyte.gz"] = "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
            ["train-labels-idx1-ubyte.gz"] = "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            ["t10k-images-idx3-ubyte.gz"] = "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            ["t10k-labels-idx1-ubyte.gz"] = "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        },
        SystemFolders: [(DebianFolder, "Debian package dataset-fashion-mnist")],
        InstallHint: "sudo apt-get install dataset-fashion-mnist   (Debian/Ubuntu; installs into " + DebianFolder + ")");

    /// <summary>
    /// Loads Fashion-MNIST as <c>((xTrain, yTrain), (xTest, yTest))</c>: x of shape (60000, 28, 28) and
    /// (10000, 28, 28) holding the raw pixel values 0..255 as floats (unscaled, like Keras: divide by 255
    /// yourself), y of shape (60000) and (10000) holding the labels 0..9 as floats.
    /// </summary>
    /// <remarks>
    /// The four IDX files (<c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>,
    /// <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>, each raw or <c>.gz</c>) are read from the
    /// first of these places that holds all four: <paramref name="directory"/>;
    /// <c>$SEQUENTIAL_NET_DATA/fashion-mnist</c>; <c>$SEQUENTIAL_NET_DATA</c>;
    /// <c>~/.sequential-net/datasets/fashion-mnist</c>; <c>/usr/share/datasets/fashion-mnist</c> (Debian's
    /// <c>dataset-fashion-mnist</c> package). Otherwise the missing files are downloaded into the user cache
    /// (from <c>$SEQUENTIAL_NET_DATASETS_URL/fashion-mnist/</c> when set, else from Keras's source,
    /// https://storage.googleapis.com/tensorflow/tf-keras-datasets/), with a progress bar on standard error,
    /// and each is checked against its published SHA-256 before it is kept.
    /// </remarks>
    /// <param name="directory">A folder to look in first; null to use only the standard places.</param>
    /// <exception cref="DatasetNotFoundException">No place has the files and they could not be downloaded.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or truncated, or a download's checksum is wrong.</exception>
    public static ((Tensor xTrain, Tensor yTrain), (Tensor xTest, Tensor yTest)) LoadData(string? directory = null) =>
        new IdxDatasetLoader(Spec).Load(directory);
}
