package dev.mainstay.testkit.github;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ThreeWayMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * A real bare git repository on disk and the few git operations GitHub's REST API offers on it:
 * commits from file contents, a three-way merge in memory (what {@code POST /merges} does), commits
 * from a tree and parents (the Git Data API), and ref updates that refuse what is not a fast-forward.
 */
final class GitStore implements AutoCloseable {

    /** The result of merging {@code head} into {@code base}: a merge commit, nothing to do, or a conflict. */
    sealed interface MergeResult {
        record Merged(ObjectId commit) implements MergeResult {
        }

        record NothingToMerge() implements MergeResult {
        }

        record Conflict() implements MergeResult {
        }
    }

    private final Repository repository;

    GitStore(Path dir) {
        try {
            repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
            repository.create(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a bare git repository in " + dir, e);
        }
    }

    /** The commit a branch or full ref points at, if it exists. */
    synchronized Optional<ObjectId> resolve(String ref) {
        try {
            Ref r = repository.exactRef(ref.startsWith("refs/") ? ref : Constants.R_HEADS + ref);
            return Optional.ofNullable(r).map(Ref::getObjectId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every ref under {@code prefix} with its commit. */
    synchronized Map<String, ObjectId> refs(String prefix) {
        try {
            Map<String, ObjectId> refs = new java.util.TreeMap<>();
            for (Ref r : repository.getRefDatabase().getRefsByPrefix(prefix)) {
                refs.put(r.getName(), r.getObjectId());
            }
            return refs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a commit on top of {@code parent} (none for a root commit) that sets {@code files} (a null text deletes one); moves no ref. */
    synchronized ObjectId commitFiles(ObjectId parent, Map<String, String> files, String message, String author, Instant when) {
        try (ObjectInserter inserter = repository.newObjectInserter(); ObjectReader reader = repository.newObjectReader()) {
            DirCache index = DirCache.newInCore();
            if (parent != null) {
                DirCacheBuilder builder = index.builder();
                builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, parseCommit(parent).getTree());
                builder.finish();
            }
            DirCacheEditor editor = index.editor();
            for (Map.Entry<String, String> file : files.entrySet()) {
                if (file.getValue() == null) {
                    editor.add(new DirCacheEditor.DeletePath(file.getKey()));
                    continue;
                }
                ObjectId blob = inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8));
                editor.add(new DirCacheEditor.PathEdit(file.getKey()) {
                    @Override
                    public void apply(DirCacheEntry entry) {
                        entry.setFileMode(FileMode.REGULAR_FILE);
                        entry.setObjectId(blob);
                    }
                });
            }
            editor.finish();
            ObjectId tree = index.writeTree(inserter);
            ObjectId commit = insertCommit(inserter, tree, parent == null ? List.of() : List.of(parent), message, author, when);
            inserter.flush();
            return commit;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a commit with {@code tree} and {@code parents} (the Git Data API); moves no ref. */
    synchronized ObjectId commitTree(ObjectId tree, List<ObjectId> parents, String message, String author, Instant when) {
        try (ObjectInserter inserter = repository.newObjectInserter()) {
            ObjectId commit = insertCommit(inserter, tree, parents, message, author, when);
            inserter.flush();
            return commit;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Merges {@code head} into {@code base} in memory, as GitHub's merges API does; moves no ref. */
    synchronized MergeResult merge(ObjectId base, ObjectId head, String message, String author, Instant when) {
        try (ObjectInserter inserter = repository.newObjectInserter()) {
            if (isAncestor(head, base)) {
                return new MergeResult.NothingToMerge();
            }
            ThreeWayMerger merger = MergeStrategy.RECURSIVE.newMerger(repository, true);
            if (!merger.merge(base, head)) {
                return new MergeResult.Conflict();
            }
            ObjectId commit = insertCommit(inserter, merger.getResultTreeId(), List.of(base, head), message, author, when);
            inserter.flush();
            return new MergeResult.Merged(commit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code ancestor} is reachable from {@code descendant} (a commit is its own ancestor). */
    synchronized boolean isAncestor(ObjectId ancestor, ObjectId descendant) {
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.isMergedInto(walk.parseCommit(ancestor), walk.parseCommit(descendant));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The commits reachable from {@code tip} and not from {@code excluded}. */
    synchronized List<RevCommit> commitsBetween(ObjectId excluded, ObjectId tip) {
        try (RevWalk walk = new RevWalk(repository)) {
            walk.markStart(walk.parseCommit(tip));
            if (excluded != null) {
                walk.markUninteresting(walk.parseCommit(excluded));
            }
            List<RevCommit> commits = new ArrayList<>();
            walk.forEach(commits::add);
            return commits;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file a pull request changes: its path, the path it had before a rename (or null), and how it changed. */
    record ChangedFile(String path, String previousPath, String status, ObjectId blob, int additions, int deletions) {
    }

    /**
     * The files {@code head} changes since its merge base with {@code base}, renames detected, as
     * GitHub's "files of a pull request" lists them (a three-dot diff).
     */
    synchronized List<ChangedFile> changedFiles(ObjectId base, ObjectId head) {
        try (RevWalk walk = new RevWalk(repository);
             DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(base));
            walk.markStart(walk.parseCommit(head));
            RevCommit mergeBase = walk.next();
            diff.setRepository(repository);
            diff.setDetectRenames(true);
            List<ChangedFile> out = new ArrayList<>();
            for (DiffEntry e : diff.scan(mergeBase == null ? null : mergeBase.getTree(), walk.parseCommit(head).getTree())) {
                int added = 0;
                int deleted = 0;
                for (Edit edit : diff.toFileHeader(e).toEditList()) {
                    added += edit.getLengthB();
                    deleted += edit.getLengthA();
                }
                String status = switch (e.getChangeType()) {
                    case ADD -> "added";
                    case DELETE -> "removed";
                    case MODIFY -> "modified";
                    case RENAME -> "renamed";
                    case COPY -> "copied";
                };
                boolean gone = e.getChangeType() == DiffEntry.ChangeType.DELETE;
                out.add(new ChangedFile(gone ? e.getOldPath() : e.getNewPath(),
                    e.getChangeType() == DiffEntry.ChangeType.RENAME ? e.getOldPath() : null, status,
                    (gone ? e.getOldId() : e.getNewId()).toObjectId(), added, deleted));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of {@code path} in commit {@code commit}, if it has that file. */
    synchronized Optional<String> readFile(ObjectId commit, String path) {
        try (TreeWalk walk = TreeWalk.forPath(repository, path, parseCommit(commit).getTree())) {
            if (walk == null) {
                return Optional.empty();
            }
            return Optional.of(new String(repository.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code id} names a commit in this repository. */
    synchronized boolean hasCommit(ObjectId id) {
        try (RevWalk walk = new RevWalk(repository)) {
            walk.parseCommit(id);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    synchronized RevCommit parseCommit(ObjectId id) {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(id);
            walk.parseBody(commit);
            return commit;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Moves {@code ref} to {@code to}; creates it when {@code expectedOld} is {@link ObjectId#zeroId()}.
     *
     * @return false when {@code force} is off and {@code to} does not descend from the ref's commit
     */
    synchronized boolean updateRef(String ref, ObjectId to, boolean force) {
        try {
            Optional<ObjectId> old = resolve(ref);
            if (!force && old.isPresent() && !isAncestor(old.get(), to)) {
                return false;
            }
            RefUpdate update = repository.updateRef(ref);
            update.setNewObjectId(to);
            update.setForceUpdate(true);
            RefUpdate.Result result = update.update();
            return switch (result) {
                case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> true;
                default -> throw new IllegalStateException("git refused to move " + ref + " to " + to.name() + ": " + result);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code ref}; false when it does not exist. */
    synchronized boolean deleteRef(String ref) {
        try {
            if (resolve(ref).isEmpty()) {
                return false;
            }
            RefUpdate update = repository.updateRef(ref);
            update.setForceUpdate(true);
            update.delete();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectId insertCommit(ObjectInserter inserter, ObjectId tree, List<ObjectId> parents, String message,
                                         String author, Instant when) throws IOException {
        PersonIdent ident = new PersonIdent(author, author + "@users.noreply.simulated", when, ZoneOffset.UTC);
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        commit.setParentIds(parents);
        commit.setAuthor(ident);
        commit.setCommitter(ident);
        commit.setMessage(message);
        return inserter.insert(commit);
    }

    @Override
    public synchronized void close() {
        repository.close();
    }
}
