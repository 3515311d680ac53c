namespace SequentialNet.Tests.Saving.Hostile;

/// <summary>
/// One crafted file: what it attacks, how it is written from a valid model file, and what loading it must
/// do: fail with a <see cref="SequentialNet.Saving.ModelFormatException"/> whose message holds every one of
/// <see cref="Rejects"/>, or (when that is null) load.
/// </summary>
/// <param name="Name">A short file-name-safe name.</param>
/// <param name="Attack">What the file does, in a phrase.</param>
/// <param name="Rejects">Message fragments of the expected rejection; null when the file must load.</param>
/// <param name="Write">Writes the file: (path of the valid model file, path to write).</param>
/// <param name="WeightsFileToo">Whether LoadWeights into the valid model must reject it the same way.</param>
/// <param name="Slow">Takes minutes to write and load (65,536 layers): measured by the benchmark; the tests check its JSON against the limits instead.</param>
internal sealed record HostileCase(string Name, string Attack, string[]? Rejects, Action<string, string> Write, bool WeightsFileToo = false, bool Slow = false)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}
