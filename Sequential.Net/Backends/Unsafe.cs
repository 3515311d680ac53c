global using Unsafe = System.Runtime.CompilerServices.Unsafe;
