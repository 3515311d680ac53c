namespace SequentialNet.Saving;

/// <summary>
/// A problem found while reading a model file, before the file name is known to the code that finds it.
/// <see cref="ModelFileReader"/> turns it into a <see cref="ModelFormatException"/> naming the file.
/// </summary>
internal sealed class FormatProblem(string message, Exception? inner = null) : Exception(message, inner);
