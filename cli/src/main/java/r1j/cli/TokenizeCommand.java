package r1j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import r1j.cli.store.ModelNotFoundException;
import r1j.cli.store.ModelResolver;
import r1j.tokenizer.Tokenizer;
import r1j.tokenizer.TokenizerException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code r1j tokenize}: prints the token ids of a text on one line, as llama.cpp's {@code llama_tokenize} gives
 * them, so a tokenization can be checked against llama.cpp's {@code llama-tokenize --ids}.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Print the token ids of TEXT (or of standard input), space separated, on one line.")
public final class TokenizeCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
            description = "a GGUF file (full model or vocabulary only), a stored model name, or a directory with "
                    + "vocab.json + merges.txt")
    String model;

    @Option(names = "--pre", paramLabel = "NAME",
            description = "pre-tokenizer instead of the file's tokenizer.ggml.pre (for a directory: default qwen2)")
    String pre;

    @Option(names = "--no-bos", description = "do not add BOS (by default it is added when the vocabulary asks)")
    boolean noBos;

    @Option(names = "--no-special",
            description = "treat control tokens such as <｜User｜> in the text as plain text")
    boolean noSpecial;

    @Option(names = "--stdin", description = "read the text from standard input, bytes as UTF-8, newlines kept")
    boolean stdin;

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "the text to tokenize")
    String text;

    @Spec
    CommandSpec spec;

    private final InputStream input;

    /** The command as the CLI runs it, reading standard input for {@code --stdin}. */
    public TokenizeCommand() {
        this(System.in);
    }

    /** @param input what {@code --stdin} reads */
    TokenizeCommand(InputStream input) {
        this.input = input;
    }

    @Override
    public Integer call() throws IOException {
        if (stdin == (text != null)) {
            throw new ParameterException(spec.commandLine(), "give either TEXT or --stdin (exactly one)");
        }
        String content = stdin ? new String(input.readAllBytes(), StandardCharsets.UTF_8) : text;
        PrintWriter out = spec.commandLine().getOut();
        try {
            Path path = ModelResolver.resolve(model);
            String preName = pre != null ? pre : Files.isDirectory(path) ? "qwen2" : null;
            Tokenizer tokenizer = Tokenizer.load(path, preName);
            int[] ids = tokenizer.encode(content, !noBos, !noSpecial);
            out.println(Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
            out.flush();
            return 0;
        } catch (TokenizerException | ModelNotFoundException e) {
            spec.commandLine().getErr().println("r1j tokenize: " + e.getMessage());
            return 1;
        }
    }
}
