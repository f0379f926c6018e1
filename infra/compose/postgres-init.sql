-- Run once by the postgres:16 image on an empty volume (docker-entrypoint-initdb.d), as POSTGRES_USER.
-- POSTGRES_DB already created `ros`; add the other two databases of ros-ocp.
CREATE DATABASE kruize;
CREATE DATABASE sources;
