package marketbackend.value;

/** Which page of a list a client asked for: its number (1-based) and size. */
public record Paging(int page, int size) {

    public int offset() {
        return (page - 1) * size;
    }
}
