namespace SequentialNet.Datasets;

/// <summary>
/// Thrown by <see cref="Mnist.LoadData"/> and <see cref="FashionMnist.LoadData"/> when the dataset's files are
/// in none of the places searched and could not be downloaded either (no network, a proxy in the way, or a
/// cache folder that cannot be written). The message lists every place looked at and how to get the data.
/// </summary>
public class DatasetNotFoundException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public DatasetNotFoundException()
        : base("The dataset was not found.")
    {
        SearchedLocations = [];
    }

    /// <summary>Creates the exception with the given <paramref name="message"/>.</summary>
    /// <param name="message">What was looked for, where, and how to get it.</param>
    public DatasetNotFoundException(string message)
        : base(message)
    {
        SearchedLocations = [];
    }

    /// <summary>Creates the exception with the given <paramref name="message"/> and cause.</summary>
    /// <param name="message">What was looked for, where, and how to get it.</param>
    /// <param name="innerException">Why the download failed, if one was tried.</param>
    public DatasetNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
        SearchedLocations = [];
    }

    /// <summary>Creates the exception with the given message, the folders searched and the cause.</summary>
    /// <param name="message">What was looked for, where, and how to get it.</param>
    /// <param name="searchedLocations">Every folder searched, in search order.</param>
    /// <param name="innerException">Why the download failed, if one was tried.</param>
    public DatasetNotFoundException(string message, IReadOnlyList<string> searchedLocations, Exception? innerException)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(searchedLocations);
        SearchedLocations = [.. searchedLocations];
    }

    /// <summary>Every folder that was searched for the dataset's files, in search order.</summary>
    public IReadOnlyList<string> SearchedLocations { get; }
}
