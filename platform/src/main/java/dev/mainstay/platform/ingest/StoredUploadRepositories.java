package dev.mainstay.platform.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * {@link RepositoriesWithResults} from {@code ingest_upload}. Walks the index of stored uploads by
 * repository ({@code ingest_upload_commit}) one name at a time (a loose index scan), so an org with
 * a million uploads over a few hundred repositories costs a few hundred index lookups, not a scan
 * of every upload.
 */
@ApplicationScoped
class StoredUploadRepositories implements RepositoriesWithResults {

    @PersistenceContext(unitName = "mainstay")
    EntityManager em;

    @Override
    @Transactional
    public List<String> of(String org) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("WITH RECURSIVE seen(repo) AS ("
                + " SELECT min(repo) FROM ingest_upload WHERE state = 'stored' AND org = ?1"
                + " UNION ALL SELECT (SELECT min(u.repo) FROM ingest_upload u WHERE u.state = 'stored' AND u.org = ?1 AND u.repo > seen.repo)"
                + " FROM seen WHERE seen.repo IS NOT NULL)"
                + " SELECT repo FROM seen WHERE repo IS NOT NULL ORDER BY 1")
            .setParameter(1, org).getResultList();
        return rows.stream().map(Object::toString).toList();
    }
}
